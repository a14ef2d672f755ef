// Cells in the page.
//
// Read online (no notebook server), each cell shows the output of a real run
// and its Run button says how to run the program on your own machine.
//
// Served by `cargo book serve`, every cell becomes a small notebook: its code
// is editable, Run (or Shift+Enter) builds and runs the edited code on your
// machine and streams the output under it, Stop kills the run, Reset brings
// back the book's code, "Run ×20" runs it twenty times at once and counts the
// distinct outputs. Edits are kept in the browser (localStorage) until Reset.
(function () {
    "use strict";

    var STORE = "notebook:edit:";
    var executions = 0;

    // ---- helpers -----------------------------------------------------------

    function el(tag, className, text) {
        var node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined) node.textContent = text;
        return node;
    }

    function button(label, title, onClick) {
        var b = el("button", "nb-button", label);
        b.type = "button";
        b.title = title;
        b.addEventListener("click", onClick);
        return b;
    }

    function escapeHtml(text) {
        return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    }

    // The compiler's colours: SGR escape sequences to spans.
    var SGR_COLOURS = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"];
    function ansiToHtml(text) {
        var out = "";
        var open = false;
        var parts = text.split(/\u001b\[([0-9;]*)m/);
        for (var i = 0; i < parts.length; i++) {
            if (i % 2 === 0) {
                out += escapeHtml(parts[i]);
                continue;
            }
            if (open) {
                out += "</span>";
                open = false;
            }
            var classes = [];
            parts[i].split(";").forEach(function (code) {
                var n = parseInt(code || "0", 10);
                if (n === 1) classes.push("nb-bold");
                else if (n >= 30 && n <= 37) classes.push("nb-fg-" + SGR_COLOURS[n - 30]);
                else if (n >= 90 && n <= 97) classes.push("nb-fg-" + SGR_COLOURS[n - 90]);
            });
            if (classes.length) {
                out += '<span class="' + classes.join(" ") + '">';
                open = true;
            }
        }
        if (open) out += "</span>";
        return out;
    }

    function highlight(code) {
        if (window.hljs && hljs.getLanguage && hljs.getLanguage("rust")) {
            try {
                return hljs.highlight("rust", code, true).value;
            } catch (e) { /* fall through to plain text */ }
        }
        return escapeHtml(code);
    }

    function seconds(ms) {
        return (ms / 1000).toFixed(2) + " s";
    }

    // ---- offline: how to run it ------------------------------------------

    function offlineCell(cell) {
        var command = cell.getAttribute("data-command") || "";
        var bar = el("div", "nb-toolbar");
        var run = button("▶ Run", "How to run this cell", function () {
            var existing = cell.querySelector(".nb-note");
            if (existing) {
                existing.remove();
                return;
            }
            var box = el("div", "nb-note");
            box.setAttribute("role", "status");
            box.appendChild(document.createTextNode(
                "This page shows the output of a real run. To edit and run the cells, clone the " +
                "book's repository and run `cargo book serve` in it. To run just this program: "));
            box.appendChild(el("code", "", command));
            cell.insertBefore(box, cell.querySelector(".nb-output"));
        });
        run.className += " nb-run";
        bar.appendChild(run);
        cell.insertBefore(bar, cell.querySelector(".nb-output"));
    }

    // ---- live: a notebook cell -------------------------------------------

    function LiveCell(node, original) {
        var self = this;
        this.node = node;
        this.id = node.getAttribute("data-cell");
        this.original = original;
        this.abort = null;

        // The editor: a transparent textarea over a highlighted copy of the
        // same text, so the code stays coloured while it is edited.
        var pre = node.querySelector("pre");
        this.editorBox = el("div", "nb-editor");
        this.shade = el("pre", "nb-shade hljs");
        this.shadeCode = el("code", "language-rust");
        this.shade.appendChild(this.shadeCode);
        this.textarea = el("textarea", "nb-input");
        this.textarea.spellcheck = false;
        this.textarea.setAttribute("wrap", "off");
        this.textarea.setAttribute("aria-label", "Code of cell " + this.id + " (Shift+Enter runs it)");
        this.editorBox.appendChild(this.shade);
        this.editorBox.appendChild(this.textarea);
        pre.parentNode.replaceChild(this.editorBox, pre);

        var saved = null;
        try { saved = localStorage.getItem(STORE + this.id); } catch (e) { /* storage may be off */ }
        this.setCode(saved !== null ? saved : original);

        this.textarea.addEventListener("input", function () {
            self.render();
            try {
                if (self.textarea.value === self.original) localStorage.removeItem(STORE + self.id);
                else localStorage.setItem(STORE + self.id, self.textarea.value);
            } catch (e) { /* storage may be off */ }
            self.markEdited();
        });
        this.textarea.addEventListener("scroll", function () {
            self.shade.scrollLeft = self.textarea.scrollLeft;
        });
        this.textarea.addEventListener("keydown", function (event) {
            if (event.key === "Enter" && event.shiftKey) {
                event.preventDefault();
                self.run(1);
            } else if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey && !event.altKey) {
                // Indent; Escape then Tab leaves the editor for keyboard users.
                if (self.escaped) return;
                event.preventDefault();
                var start = self.textarea.selectionStart;
                var end = self.textarea.selectionEnd;
                self.textarea.setRangeText("    ", start, end, "end");
                self.textarea.dispatchEvent(new Event("input"));
            } else if (event.key === "Escape") {
                self.escaped = true;
            } else {
                self.escaped = false;
            }
        });

        // The toolbar.
        var bar = el("div", "nb-toolbar");
        this.runButton = button("▶ Run", "Build and run this code (Shift+Enter)", function () { self.run(1); });
        this.runButton.className += " nb-run";
        this.manyButton = button("Run ×20", "Run it twenty times at once and count the distinct outputs", function () { self.run(20); });
        this.manyButton.className += " nb-run-many";
        this.stopButton = button("■ Stop", "Stop the run", function () { self.stop(); });
        this.stopButton.className += " nb-stop";
        this.stopButton.disabled = true;
        this.resetButton = button("Reset", "Bring back the book's code and output", function () { self.reset(); });
        this.resetButton.className += " nb-reset";
        this.badge = el("span", "nb-edited", "edited");
        this.status = el("span", "nb-status");
        this.status.setAttribute("aria-live", "polite");
        [this.runButton, this.manyButton, this.stopButton, this.resetButton, this.badge, this.status].forEach(function (b) {
            bar.appendChild(b);
        });
        this.output = node.querySelector(".nb-output");
        node.insertBefore(bar, this.output);
        this.stored = Array.prototype.slice.call(this.output.children);
        this.markEdited();
    }

    LiveCell.prototype.setCode = function (code) {
        this.textarea.value = code;
        this.render();
    };

    LiveCell.prototype.render = function () {
        var code = this.textarea.value;
        // A trailing newline needs a line of its own in the shade.
        this.shadeCode.innerHTML = highlight(code) + "\n";
        this.textarea.rows = Math.max(3, code.split("\n").length);
    };

    LiveCell.prototype.markEdited = function () {
        var edited = this.textarea.value !== this.original;
        this.node.classList.toggle("nb-is-edited", edited);
        this.resetButton.disabled = !edited;
    };

    LiveCell.prototype.reset = function () {
        this.stop();
        try { localStorage.removeItem(STORE + this.id); } catch (e) { /* storage may be off */ }
        this.setCode(this.original);
        this.markEdited();
        this.showStored();
        this.status.textContent = "";
    };

    LiveCell.prototype.showStored = function () {
        var output = this.output;
        while (output.firstChild) output.removeChild(output.firstChild);
        this.stored.forEach(function (child) { output.appendChild(child); });
    };

    LiveCell.prototype.stop = function () {
        if (this.abort) this.abort.abort();
    };

    LiveCell.prototype.busy = function (on) {
        this.runButton.disabled = on;
        this.manyButton.disabled = on;
        this.stopButton.disabled = !on;
        this.node.classList.toggle("nb-busy", on);
    };

    // Runs the code `times` times; resolves when the run has ended.
    LiveCell.prototype.run = function (times) {
        var self = this;
        if (this.abort) return Promise.resolve();
        executions += 1;
        var count = executions;
        var output = this.output;
        while (output.firstChild) output.removeChild(output.firstChild);
        var build = el("pre", "nb-build");
        var text = el("pre", "nb-text nb-live");
        var figures = el("div", "nb-figures");
        var caption = el("p", "nb-caption");
        output.appendChild(build);
        output.appendChild(text);
        output.appendChild(figures);
        output.appendChild(caption);
        build.hidden = true;
        var perRun = {};
        this.busy(true);
        this.status.textContent = "[" + count + "] compiling…";
        var controller = new AbortController();
        this.abort = controller;

        function onEvent(event) {
            var run = event.run || 0;
            if (event.event === "build") {
                build.hidden = false;
                build.innerHTML += ansiToHtml(event.text);
            } else if (event.event === "started") {
                self.status.textContent = "[" + count + "] running…";
            } else if (event.event === "stdout" || event.event === "stderr" || event.event === "notice") {
                perRun[run] = (perRun[run] || "") + (event.event === "notice" ? "" : event.text);
                if (times === 1) {
                    var span = el("span", "nb-" + event.event, event.event === "notice" ? "\n[" + event.text + "]\n" : event.text);
                    text.appendChild(span);
                }
            } else if (event.event === "figure" && times === 1) {
                var figure = el("figure", "nb-figure");
                var img = el("img");
                img.alt = "figure " + event.name;
                img.src = URL.createObjectURL(new Blob([event.svg], { type: "image/svg+xml" }));
                figure.appendChild(img);
                figures.appendChild(figure);
            } else if (event.event === "exit" && times === 1) {
                var why = event.killed ? "killed (" + event.killed + ")"
                    : event.signal ? "killed by signal " + event.signal
                    : event.error ? event.error
                    : "exit status " + event.code;
                caption.textContent = "[" + count + "] " + why + " after " + seconds(event.duration_ms);
            } else if (event.event === "done") {
                var summary = {
                    "ok": "done",
                    "failed": "failed",
                    "compile-error": "did not compile",
                    "error": "could not run: " + (event.text || "")
                }[event.status] || event.status;
                var timing = event.build_ms !== undefined ? " (build " + seconds(event.build_ms) + ", total " + seconds(event.duration_ms) + ")" : "";
                self.status.textContent = "[" + count + "] " + summary + timing;
                if (times > 1) showDistinct(text, perRun, times);
                if (times === 1 && !caption.textContent) caption.textContent = "[" + count + "] " + summary;
            }
        }

        return fetch("/api/run", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ cell: this.id, code: this.textarea.value, times: times }),
            credentials: "same-origin",
            signal: controller.signal
        }).then(function (response) {
            if (!response.ok) {
                return response.text().then(function (message) {
                    self.status.textContent = "[" + count + "] " + message.trim();
                });
            }
            var reader = response.body.getReader();
            var decoder = new TextDecoder();
            var pending = "";
            function pump() {
                return reader.read().then(function (chunk) {
                    if (chunk.done) return;
                    pending += decoder.decode(chunk.value, { stream: true });
                    var lines = pending.split("\n");
                    pending = lines.pop();
                    lines.forEach(function (line) {
                        if (line.trim()) onEvent(JSON.parse(line));
                    });
                    return pump();
                });
            }
            return pump();
        }).catch(function (error) {
            self.status.textContent = "[" + count + "] " + (error.name === "AbortError" ? "stopped" : "failed: " + error.message);
        }).then(function () {
            self.abort = null;
            self.busy(false);
        });
    };

    // "Run ×N": the distinct outputs, most frequent first, with counts.
    function showDistinct(container, perRun, times) {
        var counts = {};
        Object.keys(perRun).forEach(function (run) {
            counts[perRun[run]] = (counts[perRun[run]] || 0) + 1;
        });
        var distinct = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; });
        container.appendChild(el("span", "nb-notice",
            times + " runs, " + distinct.length + " distinct output" + (distinct.length === 1 ? "" : "s") + ":\n"));
        distinct.forEach(function (text) {
            container.appendChild(el("span", "nb-count", "\n×" + counts[text] + "\n"));
            container.appendChild(el("span", "nb-stdout", text));
        });
    }

    function runAll(cells, button) {
        button.disabled = true;
        var chain = Promise.resolve();
        cells.forEach(function (cell) {
            chain = chain.then(function () { return cell.run(1); });
        });
        return chain.then(function () { button.disabled = false; });
    }

    function goLive(nodes, byId) {
        var cells = [];
        nodes.forEach(function (node) {
            var info = byId[node.getAttribute("data-cell")];
            if (info) cells.push(new LiveCell(node, info.code));
            else offlineCell(node);
        });
        document.body.classList.add("nb-live-page");
        if (cells.length > 1) {
            var bar = el("div", "nb-page-toolbar");
            var all = button("▶ Run all", "Run every cell of this page, in order", function () { runAll(cells, all); });
            all.className += " nb-run-all";
            bar.appendChild(all);
            bar.appendChild(el("span", "nb-status", "Cells run on your machine, served by cargo book serve."));
            var main = document.querySelector("main");
            if (main) main.insertBefore(bar, main.firstChild);
        }
        // Rebuilt book: reload (edits are kept in the browser).
        if (window.EventSource) {
            var events = new EventSource("/api/events");
            events.addEventListener("reload", function () { location.reload(); });
        }
    }

    var nodes = Array.prototype.slice.call(document.querySelectorAll(".nb-cell"));
    if (!nodes.length) return;
    var served = location.protocol === "http:" &&
        (location.hostname === "127.0.0.1" || location.hostname === "localhost");
    if (!served) {
        nodes.forEach(offlineCell);
        return;
    }
    fetch("/api/cells", { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("no notebook server");
        return response.json();
    }).then(function (list) {
        var byId = {};
        list.forEach(function (cell) { byId[cell.id] = cell; });
        goLive(nodes, byId);
    }).catch(function () {
        nodes.forEach(offlineCell);
    });
})();

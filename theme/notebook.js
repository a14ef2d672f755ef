// Cells in the page.
//
// Read online (no notebook server), each cell shows the output of a real run
// and its Run button says how to run the program on your own machine.
//
// Served by `cargo book serve`, every cell becomes a small notebook: its code
// is editable (CodeMirror, theme/editor/, with the book's hidden lines folded
// and the compiler's messages marked in place), Run (or Shift+Enter) builds
// and runs the edited code on your machine and streams the output under it,
// Stop kills the run, Reset brings back the book's code, "Run ×20" runs it
// twenty times at once and counts the distinct outputs, and "Compare" shows
// a run beside the book's, line by line. A cell whose full run takes longer
// than a minute runs a lighter version live, and says so. Edits are kept in
// the browser (localStorage) until Reset.
(function () {
    "use strict";

    var STORE = "notebook:edit:";
    // A cell's last run, kept with its edit so that a reload (the book was
    // rebuilt) or a new visit shows the reader's output, not the book's.
    var KEPT = "notebook:run:";
    // Larger outputs are not kept: the browser's storage is a few MB.
    var KEEP_AT_MOST = 200000;
    var executions = 0;
    // Every live cell of the page, and whether a reload waits for runs in
    // progress to end.
    var liveCells = [];
    var reloadWaiting = false;

    // ---- helpers -----------------------------------------------------------

    var el = window.NotebookUI.el;
    var button = window.NotebookUI.button;

    function seconds(ms) {
        return (ms / 1000).toFixed(2) + " s";
    }

    // ---- offline: how to run it ------------------------------------------

    function offlineCell(cell) {
        var command = cell.getAttribute("data-command") || "";
        var repository = cell.getAttribute("data-repository");
        var download = cell.querySelector(".nb-download");
        var bar = el("div", "nb-toolbar");
        var run = button("▶ Run", "How to run this cell", function () {
            var existing = cell.querySelector(".nb-note");
            if (existing) {
                existing.remove();
                run.setAttribute("aria-expanded", "false");
                return;
            }
            var box = el("div", "nb-note");
            box.setAttribute("role", "status");
            box.appendChild(el("p", "", "This page shows the output of a real run. To edit and run every " +
                "cell on your own machine (with Rust installed):"));
            if (repository) {
                var folder = repository.replace(/\/+$/, "").replace(/\.git$/, "").split("/").pop();
                box.appendChild(commandLine("git clone " + repository + " && cd " + folder + " && cargo book serve",
                    "Copy the commands that fetch and serve the book"));
            } else {
                box.appendChild(el("p", "", "clone the book's repository, then run this in it:"));
                box.appendChild(commandLine("cargo book serve", "Copy the command that serves the book"));
            }
            box.appendChild(el("p", "", "To run just this program in a terminal, in that folder:"));
            box.appendChild(commandLine(command, "Copy the command that runs this program"));
            if (download) {
                var copy = download.cloneNode(true);
                copy.hidden = false;
                box.appendChild(copy);
            }
            cell.insertBefore(box, cell.querySelector(".nb-output"));
            run.setAttribute("aria-expanded", "true");
        });
        run.className += " nb-run";
        run.setAttribute("aria-expanded", "false");
        bar.appendChild(run);
        cell.insertBefore(bar, cell.querySelector(".nb-output"));
    }

    // A command to type in a terminal, with a button that copies it.
    function commandLine(text, title) {
        var line = el("div", "nb-command");
        var code = el("code", "", text);
        var copy = button("Copy", title, function () {
            var done = function () { copy.textContent = "Copied"; };
            if (navigator.clipboard && navigator.clipboard.writeText) {
                navigator.clipboard.writeText(text).then(done, function () { select(code); });
            } else {
                select(code);
            }
        });
        line.appendChild(code);
        line.appendChild(copy);
        return line;
    }

    // Where the clipboard is out of reach (a page opened from a file, say),
    // the text is selected for the reader to copy.
    function select(node) {
        var range = document.createRange();
        range.selectNodeContents(node);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
    }

    // ---- live: a notebook cell -------------------------------------------

    // The editor (CodeMirror, theme/editor/) is loaded only when served.
    var editorReady = null;
    function loadEditor() {
        if (editorReady) return editorReady;
        editorReady = new Promise(function (resolve, reject) {
            var css = document.createElement("link");
            css.rel = "stylesheet";
            css.href = "/api/editor/editor.css";
            document.head.appendChild(css);
            var script = document.createElement("script");
            script.src = "/api/editor/editor.js";
            script.onload = function () { resolve(window.NotebookEditor); };
            script.onerror = function () { reject(new Error("the editor did not load")); };
            document.head.appendChild(script);
        });
        return editorReady;
    }

    function LiveCell(node, info, Editor) {
        var self = this;
        this.node = node;
        this.id = node.getAttribute("data-cell");
        this.original = info.code;
        this.info = info;
        this.abort = null;

        var saved = null;
        try { saved = localStorage.getItem(STORE + this.id); } catch (e) { /* storage may be off */ }

        // The editor replaces the static code block.
        var pre = node.querySelector("pre");
        this.editorBox = el("div", "nb-editor");
        pre.parentNode.replaceChild(this.editorBox, pre);
        this.editor = Editor.create({
            parent: this.editorBox,
            doc: saved !== null ? saved : this.original,
            label: "Code of cell " + this.id + ". Shift+Enter or Ctrl+Enter runs it; Escape then Tab leaves the editor.",
            onRun: function () { self.run(1); },
            onChange: function (code) {
                try {
                    if (code === self.original) localStorage.removeItem(STORE + self.id);
                    else localStorage.setItem(STORE + self.id, code);
                } catch (e) { /* storage may be off */ }
                self.markEdited();
            },
            onHiddenToggle: function () { self.markHidden(); }
        });

        // Keys typed in the editor are the editor's: mdBook's page-wide keys
        // (arrows turn the page, S and / open the search) must not see them.
        this.editorBox.addEventListener("keydown", function (event) { event.stopPropagation(); });

        // The toolbar.
        var bar = el("div", "nb-toolbar");
        this.runButton = button("▶ Run", "Build and run this code (Shift+Enter or Ctrl+Enter)", function () { self.run(1); });
        this.runButton.className += " nb-run";
        this.manyButton = button("Run ×20", "Run it twenty times at once and count the distinct outputs", function () { self.run(20); });
        this.manyButton.className += " nb-run-many";
        this.stopButton = button("■ Stop", "Stop the run", function () { self.stop(); });
        this.stopButton.className += " nb-stop";
        this.stopButton.disabled = true;
        this.resetButton = button("Reset", "Bring back the book's code and output", function () { self.reset(); });
        this.resetButton.className += " nb-reset";
        this.hiddenButton = button("", "Show or fold the lines the book hides", function () {
            self.editor.showHidden(!self.editor.hiddenShown());
        });
        this.hiddenButton.className += " nb-show-hidden";
        this.compareButton = button("Compare with the book's run", "Show this run's output beside the stored one, line by line", function () {
            self.toggleComparison();
        });
        this.compareButton.className += " nb-compare";
        this.compareButton.hidden = true;
        this.badge = el("span", "nb-edited", "edited");
        this.status = el("span", "nb-status");
        this.status.setAttribute("role", "status");
        this.status.setAttribute("aria-live", "polite");
        [this.runButton, this.manyButton, this.stopButton, this.resetButton, this.hiddenButton, this.compareButton,
            this.badge, this.status].forEach(function (b) {
            bar.appendChild(b);
        });
        this.output = node.querySelector(".nb-output");
        node.insertBefore(bar, this.output);
        if (info.live_args) {
            var note = el("p", "nb-live-note");
            note.appendChild(document.createTextNode(
                "Run here starts a lighter version (" + info.live_args.join(" ") +
                ") that ends within a minute; the output below is from the book's full run. For the full run, in a terminal: "));
            note.appendChild(el("code", "", info.full_command));
            node.insertBefore(note, this.output);
        }
        this.stored = Array.prototype.slice.call(this.output.children);
        // The book's many runs, if stored: Run ×20 draws the reader's beside it.
        this.storedDistribution = this.output.querySelector(".nb-distribution");
        this.kept = false;
        this.restoreKept();
        this.markEdited();
        this.markHidden();
    }

    // Keeps what the last run showed, with when it ran.
    LiveCell.prototype.keep = function () {
        var html = this.output.innerHTML;
        try {
            if (html.length > KEEP_AT_MOST) localStorage.removeItem(KEPT + this.id);
            else localStorage.setItem(KEPT + this.id, JSON.stringify({ html: html, status: this.status.textContent, at: Date.now() }));
        } catch (e) { /* storage may be off, or full */ }
    };

    // Shows the reader's last run in place of the book's, marked as theirs.
    LiveCell.prototype.restoreKept = function () {
        var kept = null;
        try { kept = JSON.parse(localStorage.getItem(KEPT + this.id) || "null"); } catch (e) { kept = null; }
        if (!kept || typeof kept.html !== "string") return;
        var output = this.output;
        while (output.firstChild) output.removeChild(output.firstChild);
        var when = new Date(kept.at).toLocaleString();
        output.appendChild(el("p", "nb-kept", "Your last run (" + when + "), kept in this browser. Reset brings back the book's."));
        var box = el("div", "nb-kept-run");
        box.innerHTML = kept.html;
        output.appendChild(box);
        this.status.textContent = kept.status || "";
        this.kept = true;
    };

    LiveCell.prototype.forgetKept = function () {
        try { localStorage.removeItem(KEPT + this.id); } catch (e) { /* storage may be off */ }
        this.kept = false;
    };

    LiveCell.prototype.code = function () {
        return this.editor.getCode();
    };

    LiveCell.prototype.markEdited = function () {
        var edited = this.code() !== this.original;
        this.node.classList.toggle("nb-is-edited", edited);
        this.resetButton.disabled = !edited && !this.kept;
    };

    LiveCell.prototype.markHidden = function () {
        var count = this.editor.hiddenCount();
        var shown = this.editor.hiddenShown();
        this.hiddenButton.hidden = count === 0;
        this.hiddenButton.textContent = shown ? "Fold hidden lines" : "Show hidden lines (" + count + ")";
        this.hiddenButton.setAttribute("aria-pressed", shown ? "true" : "false");
    };

    LiveCell.prototype.reset = function () {
        this.stop();
        try { localStorage.removeItem(STORE + this.id); } catch (e) { /* storage may be off */ }
        this.forgetKept();
        this.editor.setCode(this.original);
        this.editor.clearMarkers();
        this.editor.showHidden(false);
        this.markEdited();
        this.showStored();
        this.compareButton.hidden = true;
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

    // The comparison of the last run with the book's, shown under the output.
    LiveCell.prototype.toggleComparison = function () {
        var existing = this.output.querySelector(".nb-comparison");
        if (existing) {
            existing.remove();
            this.compareButton.setAttribute("aria-expanded", "false");
            return;
        }
        if (!this.comparisons) return;
        var view = comparisonView(this.comparisons, this.runCount);
        this.output.appendChild(view);
        this.compareButton.setAttribute("aria-expanded", "true");
        view.focus();
    };

    // Runs the code `times` times; resolves when the run has ended, with
    // how it ended: "ok", "failed", "compile-error", "error" or "stopped".
    LiveCell.prototype.run = function (times) {
        var self = this;
        if (this.abort) return Promise.resolve("busy");
        var outcome = "error";
        executions += 1;
        var count = executions;
        var output = this.output;
        while (output.firstChild) output.removeChild(output.firstChild);
        var build = el("pre", "nb-build");
        build.setAttribute("tabindex", "0");
        build.setAttribute("aria-label", "What the compiler said");
        var text = el("pre", "nb-text nb-live");
        text.setAttribute("tabindex", "0");
        text.setAttribute("aria-label", "Output of this run");
        var figures = el("div", "nb-figures");
        var caption = el("p", "nb-caption");
        output.appendChild(build);
        output.appendChild(text);
        output.appendChild(figures);
        output.appendChild(caption);
        build.hidden = true;
        var perRun = {};
        this.comparisons = {};
        this.runCount = times;
        this.compareButton.hidden = true;
        this.compareButton.setAttribute("aria-expanded", "false");
        this.editor.clearMarkers();
        this.busy(true);
        this.status.textContent = "[" + count + "] compiling…";
        var controller = new AbortController();
        this.abort = controller;
        var ticker = null;

        // A run longer than a few seconds shows how long it has been going,
        // against its limit.
        function startTicker(limit) {
            var began = Date.now();
            ticker = setInterval(function () {
                var elapsed = Math.floor((Date.now() - began) / 1000);
                if (elapsed >= 3) {
                    self.status.textContent = "[" + count + "] running… " + elapsed + " s (stopped at " + limit + " s)";
                }
            }, 1000);
        }

        function onEvent(event) {
            var run = event.run || 0;
            if (event.event === "preparing") {
                self.status.textContent = "[" + count + "] waiting for the chapter crates" +
                    (event.total ? ": " + event.ready + " of " + event.total + " ready" : "") + "…";
            } else if (event.event === "build") {
                build.hidden = false;
                // The server renders the compiler's colours
                // (notebook/src/terminal.rs), escaped, as on the static pages.
                build.innerHTML += event.html;
            } else if (event.event === "diagnostics") {
                self.editor.setMarkers(event.markers);
            } else if (event.event === "started") {
                self.status.textContent = "[" + count + "] running…";
                if (!ticker && event.limit_s) startTicker(event.limit_s);
            } else if (event.event === "stdout" || event.event === "stderr" || event.event === "notice") {
                perRun[run] = (perRun[run] || "") + (event.event === "notice" ? "" : event.text);
                if (times === 1) {
                    var span = el("span", "nb-" + event.event, event.event === "notice" ? "\n[" + event.text + "]\n" : event.text);
                    text.appendChild(span);
                }
            } else if (event.event === "figure" && times === 1) {
                var figure = el("figure", "nb-figure");
                var words = event.words;
                var sequence = window.NotebookStepper && inlineSequence(event.svg);
                if (sequence) {
                    // A run's messages, drawn as a sequence diagram: inline,
                    // so that the reader can step through it as through the
                    // book's (theme/stepper.js). It carries its own words.
                    figure.className += " nb-stepper";
                    figure.appendChild(sequence);
                } else {
                    var img = el("img");
                    // An <img> does not read the SVG's own <title> and <desc>
                    // to a screen reader: the alt text carries them.
                    img.alt = words ? words.title + ". " + words.description
                        : "Figure " + event.name + ", drawn by this run";
                    // A data URL, not a blob: it survives in the kept output.
                    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(event.svg);
                    figure.appendChild(img);
                }
                if (words) {
                    // Not `caption`: a `var` here would hide the run's caption
                    // in the whole of this function.
                    var howToRead = el("figcaption");
                    howToRead.appendChild(el("strong", null, words.title.replace(/\.$/, "") + "."));
                    howToRead.appendChild(document.createTextNode(" " + words.how_to_read));
                    figure.appendChild(howToRead);
                }
                figures.appendChild(figure);
                if (sequence) window.NotebookStepper.enhance(figure);
            } else if (event.event === "compare") {
                self.comparisons[run] = event;
                self.compareButton.hidden = false;
            } else if (event.event === "exit" && times === 1) {
                var why = event.killed ? "killed (" + event.killed + ")"
                    : event.signal ? "killed by signal " + event.signal
                    : event.error ? event.error
                    : "exit status " + event.code;
                caption.textContent = "[" + count + "] " + why + " after " + seconds(event.duration_ms);
            } else if (event.event === "done") {
                outcome = event.status;
                var summary = {
                    "ok": "done",
                    "failed": "failed",
                    "compile-error": "did not compile",
                    "error": "could not run: " + (event.text || "")
                }[event.status] || event.status;
                var timing = event.build_ms !== undefined ? " (build " + seconds(event.build_ms) + ", total " + seconds(event.duration_ms) + ")" : "";
                self.status.textContent = "[" + count + "] " + summary + timing;
                if (times > 1) showDistinct(text, perRun, times, self.comparisons);
                if (times > 1 && self.storedDistribution) {
                    output.insertBefore(beside(self.storedDistribution, self.comparisons, times), text);
                }
                if (times === 1 && !caption.textContent) caption.textContent = "[" + count + "] " + summary;
            }
        }

        return fetch("/api/run", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ cell: this.id, code: this.code(), times: times }),
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
            outcome = error.name === "AbortError" ? "stopped" : "error";
            self.status.textContent = "[" + count + "] " + (error.name === "AbortError" ? "stopped" : "failed: " + error.message);
        }).then(function () {
            if (ticker) clearInterval(ticker);
            self.abort = null;
            self.busy(false);
            if (outcome !== "stopped" && outcome !== "busy") {
                self.keep();
                self.kept = true;
                self.markEdited();
            }
            reloadIfWaiting();
            return outcome;
        });
    };

    // The book was rebuilt: reload, but not under a run in progress (its
    // output would be lost); the last run to end reloads.
    function reloadWhenIdle() {
        reloadWaiting = true;
        reloadIfWaiting();
    }
    function reloadIfWaiting() {
        if (!reloadWaiting) return;
        var running = liveCells.some(function (cell) { return cell.abort; });
        if (!running) location.reload();
    }

    // The line-by-line comparison with the book's stored output: lines the
    // same, lines that differ only where the cell's `vary` rules say output
    // varies (timings, interleavings), and lines that really differ.
    function comparisonView(comparisons, times) {
        var box = el("section", "nb-comparison");
        box.setAttribute("tabindex", "-1");
        box.setAttribute("aria-label", "This run compared with the book's");
        var runs = Object.keys(comparisons).map(Number).sort(function (a, b) { return a - b; });
        var matching = runs.filter(function (r) { return comparisons[r].same; }).length;
        var headline = times > 1
            ? matching + " of " + runs.length + " runs print what the book's run printed, up to the variation its rules expect."
            : comparisons[runs[0]].same
                ? "Same as the book's run, up to the variation its rules expect."
                : "This run differs from the book's.";
        box.appendChild(el("p", "nb-comparison-summary", headline));
        // One table: the first run that differs, or the first run.
        var shown = runs.filter(function (r) { return !comparisons[r].same; })[0];
        if (shown === undefined) shown = runs[0];
        var comparison = comparisons[shown];
        if (times > 1) box.appendChild(el("p", "", "Run " + (shown + 1) + ", line by line:"));
        var table = el("table", "nb-diff");
        var head = el("thead");
        var row = el("tr");
        ["", "the book's run", "this run"].forEach(function (title, i) {
            var th = el("th", i === 0 ? "nb-diff-kind" : "", title);
            th.scope = "col";
            if (i === 0) th.appendChild(el("span", "nb-visually-hidden", "how the line compares"));
            row.appendChild(th);
        });
        head.appendChild(row);
        table.appendChild(head);
        var body = el("tbody");
        var SIGN = { same: " ", varies: "≈", missing: "−", extra: "+" };
        var SAY = { same: "same", varies: "expected variation", missing: "only in the book's run", extra: "only in this run" };
        comparison.lines.forEach(function (line) {
            var tr = el("tr", "nb-diff-" + line.kind);
            var kind = el("td", "nb-diff-kind", SIGN[line.kind]);
            kind.title = SAY[line.kind] + (line.what ? " (" + line.what + ")" : "");
            kind.appendChild(el("span", "nb-visually-hidden", SAY[line.kind]));
            tr.appendChild(kind);
            tr.appendChild(el("td", "nb-diff-stored", line.stored === null ? "" : line.stored));
            tr.appendChild(el("td", "nb-diff-fresh", line.fresh === null ? "" : line.fresh));
            body.appendChild(tr);
        });
        table.appendChild(body);
        var scroll = el("div", "nb-diff-scroll");
        scroll.setAttribute("tabindex", "0");
        scroll.setAttribute("role", "region");
        scroll.setAttribute("aria-label", "Line by line");
        scroll.appendChild(table);
        box.appendChild(scroll);
        if (comparison.truncated) box.appendChild(el("p", "", "(only the first " + comparison.lines.length + " lines are compared)"));
        box.appendChild(el("p", "nb-comparison-key", "≈ differs only where the cell's rules expect variation; − only in the book's run; + only in this run."));
        return box;
    }

    // A run's SVG that is a sequence diagram, parsed for the page, without
    // anything that could run (scripts, event attributes): or null.
    function inlineSequence(text) {
        if (!/<svg[^>]*data-sequence="true"/.test(text)) return null;
        var doc = new DOMParser().parseFromString(text, "image/svg+xml");
        var svg = doc.documentElement;
        if (!svg || svg.nodeName !== "svg") return null;
        Array.prototype.forEach.call(svg.querySelectorAll("script, foreignObject"), function (n) { n.remove(); });
        Array.prototype.forEach.call(svg.querySelectorAll("*"), function (n) {
            Array.prototype.slice.call(n.attributes).forEach(function (a) {
                if (/^on/i.test(a.name) || /javascript:/i.test(a.value)) n.removeAttribute(a.name);
            });
        });
        return document.importNode(svg, true);
    }

    // "Run ×N": the distinct outputs, most frequent first, with counts.
    function showDistinct(container, perRun, times, comparisons) {
        var counts = {};
        Object.keys(perRun).forEach(function (run) {
            counts[perRun[run]] = (counts[perRun[run]] || 0) + 1;
        });
        var distinct = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; });
        container.appendChild(el("span", "nb-notice",
            times + " runs, " + distinct.length + " distinct output" + (distinct.length === 1 ? "" : "s") + ":\n"));
        // Whether each distinct output matches the book's, where the server said.
        var matches = {};
        Object.keys(perRun).forEach(function (run) {
            if (comparisons && comparisons[run]) matches[perRun[run]] = comparisons[run].same;
        });
        distinct.forEach(function (text) {
            var verdict = matches[text] === true ? " (as the book's run)" : matches[text] === false ? " (differs from the book's run)" : "";
            container.appendChild(el("span", "nb-count", "\n×" + counts[text] + verdict + "\n"));
            container.appendChild(el("span", "nb-stdout", text));
        });
    }

    // Run ×N of a cell whose book has a stored distribution: the reader's
    // runs as outcomes (masked by the cell's rules, as the capture masks
    // them; the server sends each run's masked text and the values it
    // masked), side by side with the book's, each saying whether the other
    // side has it.
    function beside(stored, comparisons, times) {
        var book = [];
        try { book = JSON.parse(stored.getAttribute("data-outcomes")) || []; } catch (e) { book = []; }
        var bookRuns = Number(stored.getAttribute("data-runs")) || 0;
        var groups = {};
        var order = [];
        Object.keys(comparisons).forEach(function (run) {
            var c = comparisons[run];
            if (typeof c.outcome !== "string") return;
            if (!groups[c.outcome]) {
                groups[c.outcome] = { count: 0, values: [] };
                order.push(c.outcome);
            }
            groups[c.outcome].count += 1;
            groups[c.outcome].values.push(c.values || []);
        });
        order.sort(function (a, b) { return groups[b].count - groups[a].count; });
        var pair = el("div", "nb-distributions");
        var theirs = stored.cloneNode(true);
        theirs.classList.add("nb-distribution-book");
        pair.appendChild(theirs);
        var yours = el("div", "nb-distribution nb-distribution-yours");
        yours.setAttribute("role", "group");
        yours.setAttribute("aria-label", "What your " + times + " runs printed");
        var title = el("p", "nb-distribution-title");
        title.appendChild(el("strong", null, "Your " + times + " runs"));
        title.appendChild(document.createTextNode(": " + order.length + " different outcome" +
            (order.length === 1 ? "" : "s") + ", masked by the same rules as the book's."));
        yours.appendChild(title);
        order.forEach(function (text) {
            var group = groups[text];
            var match = book.filter(function (o) { return o.text === text; })[0];
            var box = el("div", "nb-outcome");
            var count = el("p", "nb-outcome-count");
            var bar = el("span", "nb-bar");
            bar.style.width = Math.max(1, group.count / times * 100) / 2 + "%";
            count.appendChild(bar);
            count.appendChild(document.createTextNode(" " + group.count + " of " + times + " runs; " +
                (match ? "the book's runs printed it too (" + match.count + " of " + bookRuns + ")"
                    : "not among the book's " + bookRuns + " runs")));
            box.appendChild(count);
            box.appendChild(withRanges(text, group.values));
            yours.appendChild(box);
        });
        pair.appendChild(yours);
        return pair;
    }

    // A masked outcome with each ⟨what⟩ replaced by the range of values the
    // runs printed there.
    function withRanges(text, runs) {
        var pre = el("pre", "nb-text");
        var slot = 0;
        var parts = text.split(/(⟨[^⟩]*⟩)/);
        parts.forEach(function (part) {
            if (!/^⟨[^⟩]*⟩$/.test(part)) {
                pre.appendChild(document.createTextNode(part));
                return;
            }
            var values = runs.map(function (v) { return v[slot] ? String(v[slot][1]).trim() : ""; });
            slot += 1;
            var asNumber = function (v) { return Number(v.replace(/[,_]/g, "")); };
            var numeric = values.every(function (v) { return v !== "" && !isNaN(asNumber(v)); });
            values.sort(numeric ? function (a, b) { return asNumber(a) - asNumber(b); } : undefined);
            var low = values[0], high = values[values.length - 1];
            var mark = el("mark", "nb-range", low === high ? low : low + "–" + high);
            mark.title = part.slice(1, -1);
            pre.appendChild(mark);
        });
        return pre;
    }

    // Runs the page's cells in order, as a reader reading down the page
    // would, and stops at the first that does not end well: the cells after
    // it may need what it shows, and its output is the one to read.
    var WHY_STOPPED = {
        "failed": "its program failed",
        "compile-error": "it did not compile",
        "error": "it could not run",
        "stopped": "it was stopped",
        "busy": "it was already running"
    };
    function runAll(cells, button, status) {
        button.disabled = true;
        status.textContent = "Running every cell of this page, in order…";
        var i = 0;
        function next() {
            if (i === cells.length) {
                status.textContent = "Ran all " + cells.length + " cells of this page.";
                return Promise.resolve();
            }
            var cell = cells[i];
            i += 1;
            return cell.run(1).then(function (outcome) {
                if (outcome === "ok") return next();
                status.textContent = "Run all stopped at cell " + cell.id + ": " +
                    (WHY_STOPPED[outcome] || outcome) + ". The cells after it did not run.";
                cell.node.scrollIntoView({ block: "center" });
            });
        }
        return next().then(function () { button.disabled = false; });
    }

    // How far the server is in preparing the chapter crates, above the
    // page's cells; gone once every cell can run.
    function showPrepared(prepared) {
        var note = document.querySelector(".nb-preparing");
        if (prepared.state === "ready") {
            if (note) note.remove();
            return;
        }
        if (!note) {
            note = el("p", "nb-preparing");
            note.setAttribute("role", "status");
            var main = document.querySelector("main");
            if (main) main.insertBefore(note, main.firstChild);
        }
        if (prepared.state === "failed") {
            note.textContent = "The chapter crates could not be built, so cells cannot run; " +
                "the terminal running cargo book serve says why.";
        } else {
            note.textContent = "Preparing the chapter crates so that edited cells build fast" +
                (prepared.total ? ": " + prepared.ready + " of " + prepared.total + " ready" : "") +
                ". Read on: a Run pressed now starts when they are.";
        }
    }

    function goLive(nodes, byId, Editor) {
        var cells = [];
        nodes.forEach(function (node) {
            var info = byId[node.getAttribute("data-cell")];
            if (info) cells.push(new LiveCell(node, info, Editor));
            else offlineCell(node);
        });
        liveCells = cells;
        document.body.classList.add("nb-live-page");
        if (cells.length > 1) {
            var bar = el("div", "nb-page-toolbar");
            var pageStatus = el("span", "nb-status", "Cells run on your machine, served by cargo book serve.");
            pageStatus.setAttribute("role", "status");
            var all = button("▶ Run all", "Run every cell of this page, in order; stops at the first that fails", function () { runAll(cells, all, pageStatus); });
            all.className += " nb-run-all";
            bar.appendChild(all);
            bar.appendChild(pageStatus);
            var main = document.querySelector("main");
            if (main) main.insertBefore(bar, main.firstChild);
        }
        // Rebuilt book: reload (edits are kept in the browser). While the
        // server prepares the chapter crates, the page says how far it is.
        if (window.EventSource) {
            var events = new EventSource("/api/events");
            events.addEventListener("reload", reloadWhenIdle);
            events.addEventListener("prepared", function (message) {
                showPrepared(JSON.parse(message.data));
            });
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
        return loadEditor().then(function (Editor) { goLive(nodes, byId, Editor); });
    }).catch(function () {
        nodes.forEach(offlineCell);
    });
})();

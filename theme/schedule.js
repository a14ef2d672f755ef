// "Be the scheduler": the interleaving players of the page.
//
// `{{#schedule crate/name}}` (notebook/src/schedule.rs) becomes a figure
// holding, as JSON, every run a model checker explored of a chapter's code on
// two threads, step by step (support::schedule::Scenario), and, for readers
// without JavaScript, one run per outcome as a list. This script turns each
// such figure into a player: the reader chooses which thread takes the next
// step, sees each thread's code with its last and next line marked, the
// shared state after every step, and at the end how the run came out and
// how many of the checker's runs end that way; or has a run that ends in a
// chosen outcome played one step at a time. A deadlock is drawn as its
// wait-for cycle. The static list stays, folded, under the player.
//
// Everything is on the page: no server is needed.
(function () {
    "use strict";

    // ---- helpers -----------------------------------------------------------

    var SVG = "http://www.w3.org/2000/svg";

    var el = window.NotebookUI.el;

    function svg(tag, attributes, text) {
        var node = document.createElementNS(SVG, tag);
        Object.keys(attributes || {}).forEach(function (name) {
            node.setAttribute(name, attributes[name]);
        });
        if (text !== undefined) node.textContent = text;
        return node;
    }

    // `focus` names the button across redraws (see Player.draw), so that a
    // reader who pressed it keeps the focus on what replaced it.
    function button(label, focus, onClick) {
        var b = el("button", "nb-schedule-button", label);
        b.type = "button";
        b.setAttribute("data-focus", focus);
        b.addEventListener("click", onClick);
        return b;
    }

    function hidden(text) {
        return el("span", "nb-visually-hidden", text);
    }

    // "A reads 0 from counter".
    function said(step) {
        return step.thread + " " + step.action;
    }

    // ---- the runs as a tree ------------------------------------------------

    // Runs that begin alike share their first steps: the runs form a tree
    // (a trie) whose root is "no step yet", whose every node is one step,
    // and whose children are the steps that some run takes next. A step is
    // known by its thread, its line and what it did, so a load that read 0
    // and one that read 1 are two children.
    function stepKey(step) {
        return [step.thread, step.file, step.line, step.action].join("\u0000");
    }

    function node(step, parent) {
        return {
            step: step,
            parent: parent,
            children: [],
            byKey: {},
            // The index of the run that ends here, or -1.
            ends: -1,
            // Outcome to the number of runs that pass through here.
            outcomes: {},
            passing: 0,
            // The threads that take a step somewhere below.
            later: {},
        };
    }

    function buildTree(scenario) {
        var root = node(null, null);
        scenario.runs.forEach(function (run, index) {
            var at = root;
            var path = [root];
            run.steps.forEach(function (step) {
                var key = stepKey(step);
                var next = at.byKey[key];
                if (!next) {
                    next = node(step, at);
                    at.byKey[key] = next;
                    at.children.push(next);
                }
                at = next;
                path.push(at);
            });
            at.ends = index;
            path.forEach(function (passed, depth) {
                passed.passing += 1;
                passed.outcomes[run.outcome] = (passed.outcomes[run.outcome] || 0) + 1;
                // Every step after this node's is one some thread takes later.
                run.steps.slice(depth).forEach(function (s) {
                    passed.later[s.thread] = true;
                });
            });
        });
        return root;
    }

    // The state before any step is not recorded; each run's first step
    // carries it, except what that step changed (a store, or the value a
    // lock guards when it is let go). Each variable's value is taken from a
    // first step that did not change it.
    function changedBy(step) {
        var write = /^writes .* to (.+)$/.exec(step.action);
        if (write) return write[1];
        var unlock = /unlocks (.+?) \(it holds/.exec(step.action);
        return unlock ? unlock[1] : null;
    }

    function initialState(scenario) {
        var state = {};
        scenario.runs.forEach(function (run) {
            var first = run.steps[0];
            if (!first) return;
            Object.keys(first.state).forEach(function (name) {
                if (!(name in state) && changedBy(first) !== name) state[name] = first.state[name];
            });
        });
        return { state: state, holders: {}, waiting: {} };
    }

    // ---- the deadlock's picture ------------------------------------------

    // The cycle of waits, from the first waiting thread: the lock it waits
    // for, the thread holding that lock, the lock that one waits for, and so
    // on back to the start. Null when the waits do not close a cycle.
    function waitCycle(threads, now) {
        var start = threads.filter(function (t) { return now.waiting[t]; })[0];
        if (!start) return null;
        var cycle = [];
        var thread = start;
        for (var i = 0; i < threads.length; i++) {
            var lock = now.waiting[thread];
            var holder = lock && now.holders[lock];
            if (!holder) return null;
            cycle.push({ thread: thread, lock: lock });
            thread = holder;
            if (thread === start) return cycle;
        }
        return null;
    }

    // The cycle in words: "A holds account A and waits for account B; B
    // holds account B and waits for account A: a cycle, so neither can move".
    function cycleWords(cycle) {
        var held = {};
        cycle.forEach(function (link, i) {
            held[cycle[(i + 1) % cycle.length].thread] = link.lock;
        });
        var parts = cycle.map(function (link) {
            return link.thread + " holds " + held[link.thread] + " and waits for " + link.lock;
        });
        return parts.join("; ") + ": a cycle, so " + (cycle.length === 2 ? "neither" : "none of them") +
            " can move";
    }

    // A small drawing of the cycle: threads (rounded) and locks (square)
    // around an ellipse, each thread's arrow "waits for" (dashed) to its
    // lock, each lock's arrow "held by" (solid) to its holder.
    function cycleFigure(cycle, idBase) {
        var width = 440, height = 190, cx = width / 2, cy = height / 2, rx = 160, ry = 84;
        var boxW = 120, boxH = 36;
        var nodes = [];
        cycle.forEach(function (link) {
            nodes.push({ label: "thread " + link.thread, kind: "thread" });
            nodes.push({ label: link.lock, kind: "lock" });
        });
        // Four nodes sit at the corners of a rectangle, the first top left.
        nodes.forEach(function (n, i) {
            var angle = -3 * Math.PI / 4 + i * 2 * Math.PI / nodes.length;
            n.x = cx + rx * Math.cos(angle);
            n.y = cy + ry * Math.sin(angle);
        });
        var root = svg("svg", {
            class: "nb-schedule-cycle",
            viewBox: "0 0 " + width + " " + height,
            role: "img",
            "aria-labelledby": idBase + "-title",
            "aria-describedby": idBase + "-desc",
        });
        root.appendChild(svg("title", { id: idBase + "-title" }, "The wait-for cycle of this deadlock"));
        root.appendChild(svg("desc", { id: idBase + "-desc" }, cycleWords(cycle) + "."));
        var defs = svg("defs");
        var marker = svg("marker", {
            id: idBase + "-arrow", viewBox: "0 0 10 10", refX: "9", refY: "5",
            markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse",
        });
        marker.appendChild(svg("path", { d: "M0,0 L10,5 L0,10 z", class: "nb-schedule-arrowhead" }));
        defs.appendChild(marker);
        root.appendChild(defs);
        // Where the line from a box's centre towards (dx, dy) leaves the box,
        // with a little room.
        function edge(n, dx, dy) {
            var hw = boxW / 2 + 4, hh = boxH / 2 + 4;
            var t = Math.min(dx ? hw / Math.abs(dx) : Infinity, dy ? hh / Math.abs(dy) : Infinity);
            return { x: n.x + dx * t, y: n.y + dy * t };
        }
        nodes.forEach(function (from, i) {
            var to = nodes[(i + 1) % nodes.length];
            var dx = to.x - from.x, dy = to.y - from.y;
            var a = edge(from, dx, dy), b = edge(to, -dx, -dy);
            var waits = from.kind === "thread";
            root.appendChild(svg("line", {
                x1: a.x, y1: a.y, x2: b.x, y2: b.y,
                class: "nb-schedule-edge" + (waits ? " nb-schedule-waits" : ""),
                "marker-end": "url(#" + idBase + "-arrow)",
            }));
            // The arrow's label, just outside the cycle.
            var mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
            var nx = mx - cx, ny = my - cy, norm = Math.sqrt(nx * nx + ny * ny) || 1;
            nx /= norm;
            ny /= norm;
            var anchor = Math.abs(nx) > 0.5 ? (nx > 0 ? "start" : "end") : "middle";
            root.appendChild(svg("text", {
                x: mx + nx * 10, y: my + ny * 12 + 4, "text-anchor": anchor, class: "nb-schedule-edge-label",
            }, waits ? "waits for" : "held by"));
        });
        nodes.forEach(function (n) {
            root.appendChild(svg("rect", {
                x: n.x - boxW / 2, y: n.y - boxH / 2, width: boxW, height: boxH,
                rx: n.kind === "thread" ? boxH / 2 : 2,
                class: "nb-schedule-node nb-schedule-" + n.kind,
            }));
            root.appendChild(svg("text", {
                x: n.x, y: n.y + 5, "text-anchor": "middle", class: "nb-schedule-node-label",
            }, n.label));
        });
        return root;
    }

    // ---- the player --------------------------------------------------------

    var players = 0;

    function Player(figure, scenario) {
        this.figure = figure;
        this.scenario = scenario;
        this.threads = scenario.threads;
        this.root = buildTree(scenario);
        this.start = initialState(scenario);
        this.path = [this.root];
        // The run being shown ("Show a run that ends with"), or -1.
        this.following = -1;
        this.id = figure.id || "nb-schedule-" + (++players);
        // The locks: whatever a step held or waited for.
        var locks = {};
        scenario.runs.forEach(function (run) {
            run.steps.forEach(function (step) {
                Object.keys(step.holders).forEach(function (l) { locks[l] = true; });
                Object.keys(step.waiting).forEach(function (t) { locks[step.waiting[t]] = true; });
            });
        });
        this.locks = locks;
        this.build();
        this.draw(null);
    }

    Player.prototype.current = function () {
        return this.path[this.path.length - 1];
    };

    // The state now: after the last step, or before any.
    Player.prototype.now = function () {
        var at = this.current();
        return at.step || this.start;
    };

    // The parts that stay; draw() fills them.
    Player.prototype.build = function () {
        var self = this;
        var box = el("div", "nb-schedule-player");
        box.tabIndex = 0;
        box.setAttribute("role", "group");
        box.setAttribute("aria-label", "Be the scheduler: " + this.scenario.title.replace(/\.$/, ""));
        var keysId = this.id + "-keys";
        box.setAttribute("aria-describedby", keysId);

        // Set before the player is on the page, so that it is not said as a
        // change when the page loads.
        this.status = el("p", "nb-schedule-status", "Choose which thread takes the next step.");
        this.status.setAttribute("aria-live", "polite");
        box.appendChild(this.status);

        // One column per thread: its name, its lines of code, its next steps.
        var columns = el("div", "nb-schedule-threads");
        this.columns = {};
        this.threads.forEach(function (thread) {
            var column = el("div", "nb-schedule-thread");
            column.appendChild(el("p", "nb-schedule-thread-name", "Thread " + thread));
            var code = el("ol", "nb-schedule-code");
            code.setAttribute("aria-label", "The lines thread " + thread + " runs");
            var lines = self.linesOf(thread);
            var items = lines.map(function (line) {
                var li = el("li");
                var mark = el("span", "nb-schedule-mark");
                // Said in words by the hidden text after the code.
                mark.setAttribute("aria-hidden", "true");
                li.appendChild(mark);
                li.appendChild(el("span", "nb-schedule-lineno", String(line.line)));
                li.appendChild(el("code", "", line.code));
                li.appendChild(hidden(""));
                code.appendChild(li);
                return { file: line.file, line: line.line, item: li };
            });
            column.appendChild(code);
            var moves = el("div", "nb-schedule-moves");
            moves.setAttribute("role", "group");
            moves.setAttribute("aria-label", "Thread " + thread + "'s next step");
            column.appendChild(moves);
            columns.appendChild(column);
            self.columns[thread] = { lines: items, moves: moves };
        });
        box.appendChild(columns);

        // The state after the last step, and the steps so far.
        var panels = el("div", "nb-schedule-panels");
        var state = el("div", "nb-schedule-state-panel");
        this.stateTitle = el("p", "nb-schedule-panel-title");
        this.stateList = el("ul", "nb-schedule-vars");
        state.appendChild(this.stateTitle);
        state.appendChild(this.stateList);
        this.stateNote = el("div", "nb-schedule-note");
        state.appendChild(this.stateNote);
        var history = el("div", "nb-schedule-history-panel");
        history.appendChild(el("p", "nb-schedule-panel-title", "Steps taken"));
        this.history = el("ol", "nb-schedule-history");
        this.noHistory = el("p", "nb-schedule-empty", "None yet.");
        history.appendChild(this.noHistory);
        history.appendChild(this.history);
        panels.appendChild(state);
        panels.appendChild(history);
        box.appendChild(panels);

        this.outcome = el("div", "nb-schedule-outcome");
        box.appendChild(this.outcome);

        var controls = el("div", "nb-schedule-controls");
        this.back = button("← Back one step", "back", function () { self.goBack(); });
        this.reset = button("Start again", "reset", function () { self.restart(-1); });
        this.next = button("Next step of this run →", "next", function () { self.followOn(); });
        controls.appendChild(this.back);
        controls.appendChild(this.reset);
        controls.appendChild(this.next);
        box.appendChild(controls);

        // One button per outcome: play a run that ends that way.
        var shows = el("div", "nb-schedule-shows");
        shows.setAttribute("role", "group");
        shows.setAttribute("aria-label", "Show a run that ends in an outcome");
        this.scenario.outcomes.forEach(function (outcome, i) {
            shows.appendChild(button("Show a run that ends with: " + outcome.outcome, "show-" + i, function () {
                self.restart(outcome.run);
            }));
        });
        box.appendChild(shows);

        var keys = el("p", "nb-schedule-keys",
            "▶ marks a thread's next line, ✓ the line of its last step. Keys, once the player has the focus: " +
            this.threads.map(function (t, i) {
                return (t.length === 1 ? t.toLowerCase() + " or " : "") + (i + 1);
            }).join(", ") + " take that thread's step; ← or Backspace goes back one step; → takes the next step " +
            "of a run you asked to be shown; Home or r starts again.");
        keys.id = keysId;
        box.appendChild(keys);

        box.addEventListener("keydown", function (event) { self.key(event); });
        this.box = box;

        // The player goes first; the static list stays, folded, after it.
        var list = this.figure.querySelector(".nb-schedule-list");
        var details = el("details", "nb-schedule-all");
        details.appendChild(el("summary", "", "Every outcome, with one run that ends in it"));
        if (list) {
            list.parentNode.insertBefore(box, list);
            list.parentNode.insertBefore(details, list);
            details.appendChild(list);
        } else {
            this.figure.insertBefore(box, this.figure.firstChild);
        }
    };

    // The distinct lines a thread's steps run, in file and line order.
    Player.prototype.linesOf = function (thread) {
        var seen = {};
        var lines = [];
        var source = this.scenario.source;
        this.scenario.runs.forEach(function (run) {
            run.steps.forEach(function (step) {
                var key = step.file + ":" + step.line;
                if (step.thread !== thread || seen[key]) return;
                seen[key] = true;
                lines.push({ file: step.file, line: step.line, code: (source[step.file] || {})[step.line] || "" });
            });
        });
        return lines.sort(function (a, b) {
            return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
        });
    };

    // What a thread can do next, from here: its steps among the children,
    // or why it has none.
    Player.prototype.movesOf = function (thread) {
        var at = this.current();
        var steps = at.children.filter(function (c) { return c.step.thread === thread; });
        if (steps.length) return { steps: steps };
        var now = this.now();
        var lock = now.waiting[thread];
        if (lock) {
            var holder = now.holders[lock];
            return { why: "waiting for " + lock + (holder ? ", which " + holder + " holds" : "") };
        }
        if (!at.later[thread]) return { why: "finished" };
        // Loom does not run two orders of steps that touch different
        // variables separately: they cannot end differently.
        if (/^loom/.test(this.scenario.checker)) {
            return {
                why: "the checker did not run this order separately (these steps touch different variables, " +
                    "so it gives no new outcome)",
            };
        }
        return { why: "no run the checker explored takes this step here" };
    };

    Player.prototype.take = function (child) {
        this.path.push(child);
        var n = this.path.length - 1;
        var words = "Step " + n + ": " + said(child.step) + ". " + this.stateWords(child.step) + ".";
        this.draw(words + this.endWords());
    };

    Player.prototype.goBack = function () {
        if (this.path.length < 2) {
            this.draw("Nothing to undo: no step taken yet.");
            return;
        }
        this.path.pop();
        var n = this.path.length - 1;
        var at = this.current();
        this.draw(n ? "Back to step " + n + ": " + said(at.step) + "." : "Back to the start: no step taken yet.");
    };

    // Back to the start, then, with `run` >= 0, showing that run.
    Player.prototype.restart = function (run) {
        this.path = [this.root];
        this.following = run;
        if (run < 0) {
            this.draw("Back to the start: no step taken yet.");
            return;
        }
        var outcome = this.scenario.runs[run].outcome;
        this.draw("Showing a run that ends with: " + outcome + ". Press Next (or →) for each of its " +
            this.scenario.runs[run].steps.length + " steps, or choose other steps.");
    };

    // The child of the current node that the shown run takes next, if the
    // reader is still on that run.
    Player.prototype.followed = function () {
        if (this.following < 0) return null;
        var steps = this.scenario.runs[this.following].steps;
        var n = this.path.length - 1;
        for (var i = 1; i <= n; i++) {
            if (stepKey(this.path[i].step) !== stepKey(steps[i - 1])) return null;
        }
        if (n >= steps.length) return null;
        return this.current().byKey[stepKey(steps[n])] || null;
    };

    Player.prototype.onShownRun = function () {
        if (this.following < 0) return false;
        var steps = this.scenario.runs[this.following].steps;
        for (var i = 1; i < this.path.length; i++) {
            if (stepKey(this.path[i].step) !== stepKey(steps[i - 1])) return false;
        }
        return true;
    };

    Player.prototype.followOn = function () {
        var next = this.followed();
        if (next) this.take(next);
    };

    // The state in words: "counter = 1", "account A = 100, held by A; B
    // waits for account A".
    Player.prototype.stateWords = function (now) {
        var locks = this.locks;
        var parts = Object.keys(now.state).map(function (name) {
            var words = name + " = " + now.state[name];
            if (locks[name]) words += now.holders[name] ? ", held by " + now.holders[name] : ", free";
            return words;
        });
        Object.keys(now.waiting).forEach(function (thread) {
            parts.push(thread + " waits for " + now.waiting[thread]);
        });
        return parts.join("; ");
    };

    // How the run ended, when it has: "counter = 2: 32 of the 70 runs end
    // this way."
    Player.prototype.endWords = function () {
        var at = this.current();
        if (at.ends < 0) return "";
        var outcome = this.scenario.runs[at.ends].outcome;
        var count = this.scenario.outcomes.filter(function (o) { return o.outcome === outcome; })
            .map(function (o) { return o.runs; })[0] || at.passing;
        return " The run is complete: " + outcome + ": " + count + " of the " + this.scenario.runs.length +
            " runs end this way.";
    };

    Player.prototype.key = function (event) {
        if (event.ctrlKey || event.altKey || event.metaKey) return;
        var k = event.key;
        var handled = true;
        if (k === "ArrowLeft" || k === "Backspace") {
            this.goBack();
        } else if (k === "Home" || k === "r" || k === "R") {
            this.restart(-1);
        } else if (k === "ArrowRight") {
            var next = this.followed();
            if (next) this.take(next);
            else this.draw(this.following < 0 ? "→ takes the next step of a shown run: choose one below first."
                : "You are not on the shown run here: go back, or choose a step.");
        } else {
            var thread = this.threadForKey(k);
            if (thread === null) {
                handled = false;
            } else {
                var moves = this.movesOf(thread);
                if (moves.steps && moves.steps.length === 1) this.take(moves.steps[0]);
                else if (moves.steps) this.draw(thread + " can take " + moves.steps.length +
                    " different steps here: choose one with its button.");
                else this.draw(thread + " cannot move: " + moves.why + ".");
            }
        }
        // mdBook's own keys (← and → turn the page, s searches) are the
        // document's: a key the player used goes no further.
        if (handled) {
            event.preventDefault();
            event.stopPropagation();
        }
    };

    // `a` or `1` is the first thread, `b` or `2` the second.
    Player.prototype.threadForKey = function (k) {
        var threads = this.threads;
        for (var i = 0; i < threads.length; i++) {
            if (k === String(i + 1)) return threads[i];
            if (threads[i].length === 1 && k.toLowerCase() === threads[i].toLowerCase()) return threads[i];
        }
        return null;
    };

    // Shows where the reader is; `words`, if any, is said (the status line
    // is a polite live region).
    Player.prototype.draw = function (words) {
        var self = this;
        var focused = document.activeElement;
        var hadFocus = focused && this.box.contains(focused) && focused !== this.box;
        var focusName = hadFocus ? focused.getAttribute("data-focus") : null;
        var at = this.current();
        var now = this.now();
        var n = this.path.length - 1;

        var shownNext = this.followed();

        // Each thread: its last and next lines marked, its next steps.
        this.threads.forEach(function (thread) {
            var column = self.columns[thread];
            var last = null;
            for (var i = self.path.length - 1; i > 0; i--) {
                if (self.path[i].step.thread === thread) {
                    last = self.path[i].step;
                    break;
                }
            }
            var moves = self.movesOf(thread);
            var nextLines = (moves.steps || []).map(function (c) { return c.step.file + ":" + c.step.line; });
            column.lines.forEach(function (line) {
                var key = line.file + ":" + line.line;
                var isLast = !!last && last.file + ":" + last.line === key;
                var isNext = nextLines.indexOf(key) >= 0;
                line.item.classList.toggle("nb-schedule-is-next", isNext);
                line.item.classList.toggle("nb-schedule-is-last", isLast);
                line.item.querySelector(".nb-schedule-mark").textContent =
                    [isLast ? "✓" : "", isNext ? "▶" : ""].join(isLast && isNext ? "\u2009" : "");
                var say = [];
                if (isLast) say.push("its last step");
                if (isNext) say.push("its next step");
                line.item.querySelector(".nb-visually-hidden").textContent = say.length ? " (" + say.join(", ") + ")" : "";
                if (isNext) line.item.setAttribute("aria-current", "step");
                else line.item.removeAttribute("aria-current");
            });
            column.moves.textContent = "";
            if (moves.steps) {
                moves.steps.forEach(function (child, i) {
                    var b = button(thread + ": " + child.step.action, "step-" + thread + "-" + i, function () {
                        self.take(child);
                    });
                    // The shown run's next step, marked by an arrow too.
                    if (child === shownNext) {
                        b.classList.add("nb-schedule-shown-next");
                        b.insertBefore(document.createTextNode("→ "), b.firstChild);
                        b.appendChild(hidden(" (the next step of the run shown)"));
                    }
                    column.moves.appendChild(b);
                });
            } else {
                var b = button(thread + ": " + moves.why, "step-" + thread + "-0", function () {});
                b.disabled = true;
                column.moves.appendChild(b);
            }
        });

        // The state.
        this.stateTitle.textContent = n ? "After step " + n : "Before any step";
        this.stateList.textContent = "";
        var locks = this.locks;
        Object.keys(now.state).forEach(function (name) {
            var li = el("li");
            li.appendChild(el("code", "", name));
            li.appendChild(document.createTextNode(" = " + now.state[name]));
            if (locks[name]) {
                li.appendChild(document.createTextNode(now.holders[name] ? ", held by " + now.holders[name] : ", free"));
            }
            self.stateList.appendChild(li);
        });
        Object.keys(now.waiting).forEach(function (thread) {
            self.stateList.appendChild(el("li", "nb-schedule-waiting", thread + " waits for " + now.waiting[thread]));
        });

        // A load that may read an older value than the latest store (loom,
        // under Relaxed) would contradict the state shown: say why not.
        this.stateNote.textContent = "";
        at.children.forEach(function (child) {
            var read = /^reads (.+) from (.+)$/.exec(child.step.action);
            if (read && read[2] in now.state && now.state[read[2]] !== read[1]) {
                self.stateNote.appendChild(el("p", "", child.step.thread + " may read " + read[1] + " from " +
                    read[2] + " although its latest store wrote " + now.state[read[2]] +
                    ": the memory model lets a load see an older store."));
            }
        });

        // The steps so far.
        this.history.textContent = "";
        this.path.slice(1).forEach(function (passed) {
            self.history.appendChild(el("li", "", said(passed.step)));
        });
        this.noHistory.hidden = n > 0;

        // The outcome, or where the runs from here go.
        this.outcome.textContent = "";
        var runs = this.scenario.runs.length;
        if (at.ends >= 0) {
            this.outcome.classList.add("nb-schedule-done");
            this.outcome.appendChild(el("p", "nb-schedule-result",
                "Run complete. " + this.endWords().replace(/^ The run is complete: /, "")));
        } else {
            this.outcome.classList.remove("nb-schedule-done");
            // In the order the checker found them, as the buttons below.
            var ways = this.scenario.outcomes.filter(function (o) { return at.outcomes[o.outcome]; })
                .map(function (o) {
                    var count = at.outcomes[o.outcome];
                    return o.outcome + " (" + count + (count === 1 ? " run)" : " runs)");
                });
            this.outcome.appendChild(el("p", "nb-schedule-ahead",
                (n ? at.passing + " of the " + runs + (at.passing === 1 ? " runs goes" : " runs go") + " through here"
                    : "The checker explored " + runs + " runs") +
                (at.passing === 1 ? ". It ends with: " : ". They end with: ") + ways.join("; ") + "."));
        }
        var cycle = this.threads.every(function (t) { return now.waiting[t]; }) ? waitCycle(this.threads, now) : null;
        if (cycle) {
            this.outcome.appendChild(el("p", "", "Every thread waits for a lock another holds: " + cycleWords(cycle) + "."));
            this.outcome.appendChild(cycleFigure(cycle, this.id + "-cycle"));
        }

        // The controls.
        this.back.disabled = n === 0;
        var onRun = this.onShownRun();
        var next = this.followed();
        this.next.hidden = this.following < 0;
        this.next.disabled = !next;
        if (this.following >= 0) {
            var shown = this.scenario.runs[this.following];
            this.next.textContent = onRun
                ? (next ? "Next step of the run that ends with " + shown.outcome + " → (" + (n + 1) + " of " +
                    shown.steps.length + ")" : "End of the run that ends with " + shown.outcome)
                : "Next step → (you left the run that ends with " + shown.outcome + ")";
        }

        if (words) this.status.textContent = words;

        // Keep the focus in the player: on the button that replaced the one
        // pressed, else on a step that can be taken, else on the player.
        if (hadFocus && !this.box.contains(document.activeElement)) {
            var again = focusName && this.box.querySelector('[data-focus="' + focusName + '"]:not([disabled])');
            var any = this.box.querySelector(".nb-schedule-moves button:not([disabled])");
            (again || any || this.box).focus();
        } else if (hadFocus && document.activeElement.disabled) {
            this.box.focus();
        }
    };

    function enhance(figure) {
        var data = figure.querySelector("script.nb-schedule-data");
        if (!data) return;
        var scenario;
        try {
            scenario = JSON.parse(data.textContent);
        } catch (e) {
            return; // The static list stays.
        }
        if (!scenario.runs || !scenario.runs.length) return;
        new Player(figure, scenario);
    }

    function start() {
        Array.prototype.forEach.call(document.querySelectorAll("figure.nb-schedule"), enhance);
        // In print the player is hidden (theme/notebook.css): the list of
        // outcomes is printed instead, its <details> opened for the while.
        var opened = [];
        window.addEventListener("beforeprint", function () {
            opened = Array.prototype.filter.call(document.querySelectorAll("details.nb-schedule-all"), function (d) {
                return !d.open;
            });
            opened.forEach(function (d) { d.open = true; });
        });
        window.addEventListener("afterprint", function () {
            opened.forEach(function (d) { d.open = false; });
            opened = [];
        });
    }

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
})();

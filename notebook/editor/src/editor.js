// The served book's cell editor: CodeMirror 6 with what a cell needs.
//
// - The book's machinery stays out of sight. Lines between `// HIDE_START`
//   and `// HIDE_END`, and the `//!` header, are folded into one line that
//   says how many there are ("12 hidden lines"), as the static book hides
//   them; the marker comments themselves are never shown, folded or not.
//   The document keeps every line, so a run compiles the whole program.
// - The compiler's diagnostics are marked in place: the span underlined, a
//   marker in the gutter, the message at the end of its line. A diagnostic
//   in a folded region unfolds it.
// - The habits of a code editor: undo and redo, auto-indent, bracket
//   matching, Tab and Shift+Tab indent; Escape then Tab leaves the editor.
//
// `npm run build` in notebook/editor bundles this file into
// theme/editor/editor.js, which defines `window.NotebookEditor`.

import { EditorState, StateEffect, StateField, RangeSetBuilder } from "@codemirror/state";
import {
    EditorView, Decoration, WidgetType, keymap, lineNumbers, drawSelection, highlightActiveLine,
    highlightActiveLineGutter,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { setDiagnostics, lintGutter, lintKeymap } from "@codemirror/lint";
import { classHighlighter } from "@lezer/highlight";
import { rust } from "@codemirror/lang-rust";

const HIDE_START = "// HIDE_START";
const HIDE_END = "// HIDE_END";

// ---- hidden lines --------------------------------------------------------

// Each line's part in the book's machinery: a marker, hidden, or shown.
// The static book's rule (notebook/src/cells.rs, `book_code`), except that
// a `// HIDE_START` with no `// HIDE_END` after it hides nothing here: a
// reader typing a block of their own should not see the lines below it
// vanish before the block is closed.
function lineKinds(doc) {
    const texts = [];
    for (let n = 1; n <= doc.lines; n++) texts.push(doc.line(n).text.trim());
    const kinds = texts.map((text) => (text.startsWith("//!") ? "hidden" : "shown"));
    let open = -1;
    texts.forEach((text, i) => {
        if (text === HIDE_START && open < 0) {
            open = i;
        } else if (text === HIDE_END && open >= 0) {
            kinds[open] = "marker";
            kinds[i] = "marker";
            for (let j = open + 1; j < i; j++) kinds[j] = "hidden";
            open = -1;
        }
    });
    return kinds;
}

// Runs of consecutive marker and hidden lines: [{first, last, hidden}],
// 1-based line numbers, `hidden` counting the lines a reader may unfold.
function regions(doc) {
    const kinds = lineKinds(doc);
    const out = [];
    let current = null;
    kinds.forEach((kind, i) => {
        const n = i + 1;
        if (kind === "shown") {
            current = null;
            return;
        }
        if (!current) {
            current = { first: n, last: n, hidden: 0 };
            out.push(current);
        }
        current.last = n;
        if (kind === "hidden") current.hidden += 1;
    });
    return { kinds, regions: out };
}

class FoldWidget extends WidgetType {
    constructor(count) {
        super();
        this.count = count;
    }
    eq(other) {
        return other.count === this.count;
    }
    toDOM(view) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "nb-fold";
        button.textContent = "⋯ " + this.count + " hidden line" + (this.count === 1 ? "" : "s");
        button.title = "Show the hidden lines (the program's setup, which the book folds away)";
        // Not a tab stop: from the keyboard, the toolbar's "Show hidden
        // lines" does the same, and Tab out of the editor goes past it.
        button.tabIndex = -1;
        button.addEventListener("click", (event) => {
            event.preventDefault();
            view.dispatch({ effects: showHidden.of(true) });
        });
        return button;
    }
    ignoreEvent() {
        return false;
    }
}

const showHidden = StateEffect.define();

const hiddenShown = StateField.define({
    create: () => false,
    update(value, tr) {
        for (const effect of tr.effects) if (effect.is(showHidden)) value = effect.value;
        return value;
    },
});

const hiddenLineMark = Decoration.line({ class: "nb-hidden-line" });

function foldDecorations(state) {
    const shown = state.field(hiddenShown);
    const { kinds, regions: runs } = regions(state.doc);
    const builder = new RangeSetBuilder();
    for (const run of runs) {
        if (!shown) {
            const from = state.doc.line(run.first).from;
            const to = state.doc.line(run.last).to;
            builder.add(from, to, Decoration.replace({
                block: true,
                widget: run.hidden ? new FoldWidget(run.hidden) : undefined,
            }));
            continue;
        }
        // Unfolded: the hidden lines show, marked; each run of markers goes.
        let n = run.first;
        while (n <= run.last) {
            if (kinds[n - 1] === "hidden") {
                const line = state.doc.line(n);
                builder.add(line.from, line.from, hiddenLineMark);
                n += 1;
                continue;
            }
            let last = n;
            while (last + 1 <= run.last && kinds[last] === "marker") last += 1;
            builder.add(state.doc.line(n).from, state.doc.line(last).to, Decoration.replace({ block: true }));
            n = last + 1;
        }
    }
    return builder.finish();
}

const folds = StateField.define({
    create: foldDecorations,
    update(value, tr) {
        const toggled = tr.effects.some((e) => e.is(showHidden));
        return tr.docChanged || toggled ? foldDecorations(tr.state) : value;
    },
    provide: (field) => [EditorView.decorations.from(field), EditorView.atomicRanges.of((view) => view.state.field(field))],
});

// ---- the compiler's messages at the end of their lines -----------------

class MessageWidget extends WidgetType {
    constructor(level, message) {
        super();
        this.level = level;
        this.message = message;
    }
    eq(other) {
        return other.level === this.level && other.message === this.message;
    }
    toDOM() {
        const span = document.createElement("span");
        span.className = "nb-inline-message nb-inline-" + this.level;
        span.textContent = this.message;
        return span;
    }
}

const setMessages = StateEffect.define();

const messages = StateField.define({
    create: () => Decoration.none,
    update(value, tr) {
        value = value.map(tr.changes);
        for (const effect of tr.effects) if (effect.is(setMessages)) value = effect.value;
        return value;
    },
    provide: (field) => EditorView.decorations.from(field),
});

const SEVERITY = { error: "error", warning: "warning", note: "info", help: "hint" };

// Rustc's 1-based line and character column to a document position.
function position(doc, line, column) {
    if (line < 1) return 0;
    if (line > doc.lines) return doc.length;
    const l = doc.line(line);
    return Math.min(l.from + Math.max(0, column - 1), l.to);
}

// ---- the editor -----------------------------------------------------------

function create(options) {
    const runKeys = [
        { key: "Shift-Enter", run: () => { options.onRun(); return true; } },
        { key: "Mod-Enter", run: () => { options.onRun(); return true; } },
    ];
    const view = new EditorView({
        parent: options.parent,
        state: EditorState.create({
            doc: options.doc,
            extensions: [
                lineNumbers(),
                highlightActiveLineGutter(),
                history(),
                drawSelection(),
                indentOnInput(),
                bracketMatching(),
                highlightActiveLine(),
                syntaxHighlighting(classHighlighter),
                rust(),
                EditorState.tabSize.of(4),
                indentUnit.of("    "),
                hiddenShown,
                folds,
                messages,
                lintGutter(),
                keymap.of([...runKeys, ...defaultKeymap, ...historyKeymap, ...lintKeymap, indentWithTab]),
                EditorView.contentAttributes.of({ "aria-label": options.label }),
                EditorView.updateListener.of((update) => {
                    if (update.docChanged && options.onChange) options.onChange(update.state.doc.toString());
                    if (options.onHiddenToggle && update.transactions.some((t) => t.effects.some((e) => e.is(showHidden)))) {
                        options.onHiddenToggle(update.state.field(hiddenShown));
                    }
                }),
            ],
        }),
    });

    return {
        view,
        getCode: () => view.state.doc.toString(),
        setCode(text) {
            view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
        },
        hiddenCount: () => regions(view.state.doc).regions.reduce((sum, r) => sum + r.hidden, 0),
        hiddenShown: () => view.state.field(hiddenShown),
        showHidden(on) {
            view.dispatch({ effects: showHidden.of(on) });
        },
        // Marks the compiler's diagnostics; unfolds hidden lines they fall in.
        // `markers`: [{level, message, line_start, column_start, line_end, column_end}]
        setMarkers(markers) {
            const doc = view.state.doc;
            const kinds = lineKinds(doc);
            let inHidden = false;
            const diagnostics = [];
            const ends = [];
            for (const m of markers) {
                const from = position(doc, m.line_start, m.column_start);
                const to = Math.max(from, position(doc, m.line_end, m.column_end));
                diagnostics.push({ from, to, severity: SEVERITY[m.level] || "info", message: m.message });
                if (kinds[m.line_start - 1] && kinds[m.line_start - 1] !== "shown") inHidden = true;
                ends.push({ at: doc.line(Math.min(Math.max(1, m.line_start), doc.lines)).to, level: SEVERITY[m.level] || "info", message: m.message });
            }
            // One message per line: the first, which rustc gives most weight.
            ends.sort((a, b) => a.at - b.at);
            const builder = new RangeSetBuilder();
            let last = -1;
            for (const end of ends) {
                if (end.at === last) continue;
                last = end.at;
                builder.add(end.at, end.at, Decoration.widget({ widget: new MessageWidget(end.level, end.message), side: 1 }));
            }
            const effects = [setMessages.of(builder.finish())];
            if (inHidden) effects.push(showHidden.of(true));
            view.dispatch(setDiagnostics(view.state, diagnostics));
            view.dispatch({ effects });
        },
        clearMarkers() {
            view.dispatch(setDiagnostics(view.state, []));
            view.dispatch({ effects: setMessages.of(Decoration.none) });
        },
        focus: () => view.focus(),
    };
}

// `find(element)`: the editor an element belongs to, for tests and tools.
function find(element) {
    const view = EditorView.findFromDOM(element);
    return view && { view, getCode: () => view.state.doc.toString() };
}

window.NotebookEditor = { create, find };

// Steppers: a sequence diagram of a real run (support::sequence), one
// message at a time.
//
// Each message of the diagram is an SVG group `g.nb-step` that carries its
// number, what it means in a sentence (`data-meaning`), and the line of the
// chapter's code that sent it (`data-code`, `data-where`). The stepper adds
// Previous and Next buttons under the picture; the arrow keys do the same
// while the picture or its buttons have focus, Home and End go to the first
// and last message. The message in focus is drawn heavier and the others
// fade; its sentence and its line of code are printed under the picture and
// read out to screen readers. Without JavaScript the whole diagram shows,
// and its description lists every message in order.
//
// A served page that runs the cell again draws the reader's own run; the
// notebook calls `NotebookStepper.enhance` on it.
(function () {
    "use strict";

    var el = window.NotebookUI.el;
    var button = window.NotebookUI.button;

    function enhance(figure) {
        if (figure.getAttribute("data-stepper") === "ready") return;
        var steps = Array.prototype.slice.call(figure.querySelectorAll("g.nb-step"));
        if (!steps.length) return;
        figure.setAttribute("data-stepper", "ready");
        var current = -1;

        var controls = el("div", "nb-stepper-controls");
        controls.setAttribute("role", "group");
        controls.setAttribute("aria-label", "Step through the messages");
        var previous = button("◀ Previous", "The message before (Left arrow)", function () { go(current - 1); });
        var next = button("Next ▶", "The next message (Right arrow)", function () { go(current + 1); });
        var counter = el("span", "nb-stepper-count", "");
        controls.appendChild(previous);
        controls.appendChild(next);
        controls.appendChild(counter);

        var now = el("div", "nb-stepper-now");
        now.setAttribute("aria-live", "polite");
        var sentence = el("p", "nb-stepper-meaning", "Press Next (or the Right arrow) to follow the run one message at a time.");
        var code = el("code", "nb-stepper-code", "");
        now.appendChild(sentence);
        now.appendChild(code);

        var svg = figure.querySelector("svg");
        var caption = figure.querySelector("figcaption");
        // The buttons and the sentence, under the picture.
        var bar = el("div", "nb-stepper-bar");
        bar.appendChild(controls);
        bar.appendChild(now);
        figure.insertBefore(bar, caption || null);
        // The picture itself can take focus, so that the arrow keys work
        // from it too.
        if (svg) svg.setAttribute("tabindex", "0");

        function go(index) {
            if (index < 0 || index >= steps.length) return;
            if (current >= 0) steps[current].classList.remove("nb-step-current");
            current = index;
            var step = steps[current];
            step.classList.add("nb-step-current");
            figure.classList.add("nb-stepping");
            counter.textContent = "Message " + (current + 1) + " of " + steps.length;
            sentence.textContent = (current + 1) + ". " + (step.getAttribute("data-meaning") || "");
            var where = step.getAttribute("data-where") || "";
            var line = step.getAttribute("data-code") || "";
            code.textContent = line ? where + ":  " + line : where;
            previous.disabled = current === 0;
            next.disabled = current === steps.length - 1;
            // Keep the sentence in sight, and the message too: where the
            // picture is taller than the window, the message wins.
            bar.scrollIntoView({ block: "nearest" });
            if (step.scrollIntoView) step.scrollIntoView({ block: "nearest" });
        }

        figure.addEventListener("keydown", function (event) {
            var to = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: steps.length - 1 }[event.key];
            if (to === undefined) return;
            // mdBook turns the page on the arrow keys: not while they step.
            event.preventDefault();
            event.stopPropagation();
            go(to);
        });
        previous.disabled = true;
    }

    function enhanceAll(root) {
        Array.prototype.forEach.call((root || document).querySelectorAll("figure.nb-stepper"), enhance);
    }

    window.NotebookStepper = { enhance: enhance, enhanceAll: enhanceAll };
    enhanceAll(document);
})();

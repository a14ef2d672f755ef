// The small DOM helpers the page's scripts share (notebook.js,
// schedule.js, stepper.js): loaded before them.
window.NotebookUI = (function () {
    "use strict";

    // An element with a class and its text.
    function el(tag, className, text) {
        var node = document.createElement(tag);
        if (className) node.className = className;
        if (text !== undefined) node.textContent = text;
        return node;
    }

    // A button of the notebook's style; `title` says what it does.
    function button(label, title, onClick) {
        var b = el("button", "nb-button", label);
        b.type = "button";
        b.title = title;
        b.addEventListener("click", onClick);
        return b;
    }

    return { el: el, button: button };
})();

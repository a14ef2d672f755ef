// mdBook's page, as assistive technology reads it. mdBook's own markup has a
// few things axe-core reports on every page; this script, loaded on every
// page of the book, puts them right without changing how the page looks.
//
// - The sidebar toggle is a <label> carrying a button's attributes
//   (aria-expanded, aria-label): a real button inside it takes them.
// - The menu bar sits outside every landmark: it becomes the page's banner.
// - A code block or an output wider than the page scrolls sideways; a
//   keyboard reader can scroll it only if it can be focused.
(function () {
    "use strict";

    // mdBook's toggle is a <label> for a hidden checkbox; a label may not
    // be a button. A real button goes inside it and takes its ARIA
    // attributes, including the aria-expanded that mdBook keeps setting on
    // the label. Pressing the button ticks the checkbox, after the label's
    // own click handler (mdBook's) has run.
    var toggle = document.getElementById("mdbook-sidebar-toggle");
    var anchor = document.getElementById("mdbook-sidebar-toggle-anchor");
    if (toggle && anchor && toggle.tagName === "LABEL") {
        var press = document.createElement("button");
        press.type = "button";
        press.className = "nb-sidebar-button";
        while (toggle.firstChild) press.appendChild(toggle.firstChild);
        toggle.appendChild(press);
        var moveAria = function () {
            ["aria-label", "aria-controls", "aria-expanded"].forEach(function (name) {
                if (toggle.hasAttribute(name)) {
                    press.setAttribute(name, toggle.getAttribute(name));
                    toggle.removeAttribute(name);
                }
            });
        };
        moveAria();
        new MutationObserver(moveAria).observe(toggle, { attributes: true });
        press.addEventListener("click", function () {
            setTimeout(function () { anchor.click(); }, 0);
        });
    }

    var bar = document.getElementById("mdbook-menu-bar");
    if (bar && !bar.hasAttribute("role")) bar.setAttribute("role", "banner");

    function focusableWhenScrolling() {
        var blocks = document.querySelectorAll("main pre");
        for (var i = 0; i < blocks.length; i++) {
            var pre = blocks[i];
            var scrolls = pre.scrollWidth > pre.clientWidth || pre.scrollHeight > pre.clientHeight;
            // The code inside may be the element that scrolls.
            var code = pre.querySelector("code");
            if (code && (code.scrollWidth > code.clientWidth)) {
                if (!code.hasAttribute("tabindex")) code.setAttribute("tabindex", "0");
                continue;
            }
            if (scrolls && !pre.hasAttribute("tabindex")) pre.setAttribute("tabindex", "0");
        }
    }
    focusableWhenScrolling();
    window.addEventListener("resize", focusableWhenScrolling);
})();

// Pieces every page shares: menus that close like menus, messages that can be dismissed,
// the phone's "add a task" button, and folded sections that stay folded. Everything here also works without JavaScript,
// only less smoothly. Listeners sit on the document, so markup htmx swaps in keeps working.
(() => {
  "use strict";
  const MENUS = "details.menu[open], details.row-menu[open]";

  // A click elsewhere closes an open menu, as it would a native one.
  document.addEventListener("click", (event) => {
    document.querySelectorAll(MENUS).forEach((menu) => {
      if (!menu.contains(event.target)) menu.open = false;
    });
    const dismiss = event.target.closest("[data-dismiss-message]");
    if (dismiss) dismiss.closest(".toast-message")?.remove();
  });

  // Escape closes the menu and gives focus back to the button that opened it.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const menu = document.activeElement?.closest(MENUS) || document.querySelector(MENUS);
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary")?.focus();
  });

  // A task row's buttons submit the page's one form (form="task-actions"), each to its own
  // formaction. With htmx they are sent in place: the answer replaces the row, or the page's
  // content for a button marked data-swap="content" (a list's new order, My Day's plan).
  document.addEventListener("click", (event) => {
    const button = event.target.closest('.task-row button[form="task-actions"][formaction]:not([data-hx-post])');
    if (!button || !window.htmx || event.defaultPrevented) return;
    event.preventDefault();
    const whole = button.dataset.swap === "content";
    window.htmx.ajax("POST", button.getAttribute("formaction"), {
      source: button,
      target: whole ? "#content" : button.closest(".task-row"),
      swap: whole ? "innerHTML" : "outerHTML",
    });
  });

  // On a page with its own quick-add box, the button focuses it instead of leaving for the Inbox.
  document.addEventListener("click", (event) => {
    const fab = event.target.closest("[data-quick-add-fab]");
    const field = document.querySelector("#quick-add:not([data-subtasks]) input[name='text']");
    if (!fab || !field) return;
    event.preventDefault();
    field.focus();
  });

  // A folded section (<details data-remember="name">) stays as the person left it, on
  // this device, also when htmx swaps it in again; without JavaScript it is open.
  const KEY = "ticklist:folded:";
  const remembered = () => {
    document.querySelectorAll("details[data-remember]").forEach((details) => {
      if (window.localStorage.getItem(KEY + details.dataset.remember) === "1") {
        details.open = false;
      }
    });
  };
  remembered();
  document.addEventListener("htmx:afterSettle", remembered);
  // "toggle" does not bubble: listen while it travels down.
  document.addEventListener(
    "toggle",
    (event) => {
      const details = event.target;
      if (!(details instanceof HTMLDetailsElement) || !details.dataset.remember) return;
      const key = KEY + details.dataset.remember;
      if (details.open) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, "1");
    },
    true,
  );
})();

// A theme button applies its theme at once; htmx saves the choice (the form also works without us).
(() => {
  "use strict";
  document.addEventListener("click", (event) => {
    const choice = event.target.closest(".theme-choice");
    if (!choice) return;
    const root = document.documentElement;
    if (choice.value === "system") root.removeAttribute("data-bs-theme");
    else root.setAttribute("data-bs-theme", choice.value);
    document.querySelectorAll(".theme-choice").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.value === choice.value));
    });
  });
})();

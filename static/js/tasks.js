// Drag and drop to reorder a project's tasks. The up/down buttons on each row do
// the same without a mouse or without JavaScript.
// Listeners sit on the document, so a list that htmx swaps in keeps working.
(() => {
  "use strict";
  const LIST = "#task-list[data-reorder-url]";
  const ROW = ".task-row[draggable]";
  let dragged = null;

  document.addEventListener("dragstart", (event) => {
    dragged = event.target.closest(`${LIST} ${ROW}`);
    if (!dragged) return;
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
  });

  document.addEventListener("dragover", (event) => {
    const over = event.target.closest(ROW);
    if (!dragged || !over || over === dragged || over.parentNode !== dragged.parentNode) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });

  document.addEventListener("dragend", () => {
    if (!dragged) return;
    const list = dragged.closest(LIST);
    dragged.classList.remove("dragging");
    dragged = null;
    if (!list) return;
    const body = new URLSearchParams();
    list.querySelectorAll(".task-row[data-task-id]").forEach((row) => {
      body.append("order", row.dataset.taskId);
    });
    const headers = JSON.parse(document.body.dataset.hxHeaders || "{}");
    fetch(list.dataset.reorderUrl, {
      method: "POST",
      headers: { ...headers, "HX-Request": "true" },
      body,
      credentials: "same-origin",
    });
  });
})();

// A folded section (<details data-remember="name">) stays as the person left it,
// on this device, also when htmx swaps it in again; without JavaScript it is open.
(() => {
  "use strict";
  const KEY = "ticklist:folded:";
  const apply = () => {
    document.querySelectorAll("details[data-remember]").forEach((details) => {
      if (window.localStorage.getItem(KEY + details.dataset.remember) === "1") {
        details.open = false;
      }
    });
  };
  apply();
  document.addEventListener("htmx:afterSettle", apply);
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

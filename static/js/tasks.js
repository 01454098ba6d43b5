// Drag and drop to reorder a project's tasks. The up/down buttons on each row do
// the same without a mouse or without JavaScript.
(() => {
  "use strict";
  const list = document.querySelector("#task-list[data-reorder-url]");
  if (!list) return;
  let dragged = null;

  list.addEventListener("dragstart", (event) => {
    dragged = event.target.closest(".task-row[draggable]");
    if (!dragged) return;
    dragged.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
  });

  list.addEventListener("dragover", (event) => {
    const over = event.target.closest(".task-row[draggable]");
    if (!dragged || !over || over === dragged) return;
    event.preventDefault();
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });

  list.addEventListener("dragend", () => {
    if (!dragged) return;
    dragged.classList.remove("dragging");
    dragged = null;
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

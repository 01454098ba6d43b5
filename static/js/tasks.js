// Task lists: drag and drop, selection mode, and where focus goes after
// an action htmx performs in place. Each works without JavaScript too (the up/down
// buttons, ?select=1, <details>); this makes them quicker. Listeners sit on the document,
// so lists htmx swaps in keep working, and the file runs once per page load.
(() => {
  "use strict";

  // Drag and drop to reorder a project's tasks.
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

  // Selection mode: the boxes and the bulk bar appear with the first box ticked, or from
  // the Select button; Done (or Cancel) unticks them all and hides them again.
  const BOX = '[data-action="select"]';
  const showCount = () => {
    const count = document.querySelectorAll(`${BOX}:checked`).length;
    const label = document.querySelector("[data-selected-count]");
    if (label) {
      label.textContent = count
        ? `${count} task${count === 1 ? "" : "s"} selected`
        : "Tick the tasks to act on";
    }
  };
  const select = (on) => {
    document.body.classList.toggle("selecting", on);
    if (!on) {
      document.querySelectorAll(`${BOX}:checked`).forEach((box) => {
        box.checked = false;
      });
    }
    showCount();
  };

  document.addEventListener("click", (event) => {
    const toggle = event.target.closest("[data-select-toggle]");
    if (!toggle) return;
    event.preventDefault();
    const on = !document.body.classList.contains("selecting");
    select(on);
    if (on) document.querySelector(BOX)?.focus();
    else toggle.closest(".page-actions")?.querySelector(".when-browsing")?.focus();
  });

  document.addEventListener("change", (event) => {
    if (!event.target.matches(BOX)) return;
    if (event.target.checked) document.body.classList.add("selecting");
    showCount();
  });

  // Focus after an action done in place: on the next row (the one after the row acted
  // on), else on the message that says what happened (and offers Undo).
  let pending = null;
  const focusable = (id) => document.getElementById(id)?.querySelector(".task-title");

  document.addEventListener("htmx:beforeRequest", (event) => {
    const source = event.detail.elt;
    const row = source.closest(".task-row");
    pending = {
      row: row?.id,
      next: row?.nextElementSibling?.id,
      moving: Boolean(source.id && source.id.startsWith("move-")),
      quickAdd: Boolean(source.closest("#quick-add")),
      preview: source.matches("[data-hx-get]"),
    };
  });

  document.addEventListener("htmx:afterSettle", () => {
    const was = pending;
    pending = null;
    if (!was || was.quickAdd || was.preview) return;
    const message = document.querySelector("#messages .toast-message");
    let target;
    if (was.moving) target = focusable(was.row);
    else if (was.row) target = focusable(was.next);
    (target || message)?.focus();
    if (!target && message) message.scrollIntoView({ block: "nearest" });
  });
})();

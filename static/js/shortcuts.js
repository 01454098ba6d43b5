// Keyboard shortcuts, as in Todoist: q quick add, / search, g then m/t/u/i to go to a list,
// j/k to move between rows, x select, e edit, c complete, # delete, ? this list, Escape
// closes. They act through the page's own buttons and links, so htmx, Undo and where focus
// goes afterwards (tasks.js) are the same as for a click. Listeners sit on the document,
// so rows htmx swaps in keep working. With single-key shortcuts off in Settings
// (<body data-shortcuts="off">, WCAG 2.1.4) only the account menu's button opens the list.
(() => {
  "use strict";
  const dialog = document.getElementById("shortcuts");
  if (!dialog) return;

  // The list of shortcuts, with focus back where it was once it closes.
  let opener = null;
  const openHelp = () => {
    if (dialog.open) return;
    opener = document.activeElement;
    // From a menu: the menu closes, and focus goes back to the button that opened it.
    const menu = opener?.closest("details[open]");
    if (menu) {
      menu.open = false;
      opener = menu.querySelector("summary");
    }
    dialog.showModal();
  };
  dialog.addEventListener("close", () => {
    if (opener?.isConnected) opener.focus();
    opener = null;
  });
  // A click on the backdrop closes it too; the backdrop's clicks land on the dialog itself,
  // as do those on its padding, so tell them apart by where they are.
  dialog.addEventListener("click", (event) => {
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside =
      event.clientX >= box.left &&
      event.clientX <= box.right &&
      event.clientY >= box.top &&
      event.clientY <= box.bottom;
    if (!inside) dialog.close();
  });
  document.querySelectorAll("[data-shortcuts-open]").forEach((button) => {
    button.hidden = false;
  });
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-shortcuts-open]")) openHelp();
  });

  // Arriving at a list's #quick-add (from q elsewhere, or the phone's button): ready to type.
  const quickAddField = () =>
    document.querySelector("#quick-add:not([data-subtasks]) input[name='text']");
  // Chromium takes focus away from a field when it scrolls to a fragment that cannot
  // have focus (the form), just before "load": focus the field once that is done.
  if (window.location.hash === "#quick-add") {
    window.addEventListener("load", () => requestAnimationFrame(() => quickAddField()?.focus()));
  }

  if (document.body.dataset.shortcuts === "off") return;

  // Rows: the current one is the row with focus, else the last one a shortcut acted on;
  // when that one has gone (completed, deleted), the row after it, else the one before.
  const ROW = "li.task-row[data-task-id]";
  const rows = () =>
    [...document.querySelectorAll(ROW)].filter((row) => row.checkVisibility());
  let last = null;
  const remember = (row) => {
    last = {
      id: row.id,
      next: row.nextElementSibling?.id,
      previous: row.previousElementSibling?.id,
    };
  };
  const visibleRow = (id) => {
    const row = id && document.getElementById(id);
    return row?.matches(ROW) && row.checkVisibility() ? row : null;
  };
  const currentRow = () => {
    const focused = document.activeElement?.closest(ROW);
    if (focused) return focused;
    if (!last) return null;
    return visibleRow(last.id) || visibleRow(last.next) || visibleRow(last.previous);
  };
  const focusRow = (row) => {
    if (!row) return;
    remember(row);
    const title = row.querySelector("a.task-title");
    title.focus();
    title.scrollIntoView({ block: "nearest" });
  };
  document.addEventListener("focusin", (event) => {
    const row = event.target.closest?.(ROW);
    if (row) remember(row);
  });

  const move = (step) => {
    const all = rows();
    if (!all.length) return;
    const row = currentRow();
    const here = row ? all.indexOf(row) : -1;
    // From nowhere (or a row that left the list), either key starts at the top.
    if (here === -1) return focusRow(all[0]);
    // A neighbour standing in for a row that has gone is where either key lands first.
    if (row.id !== last?.id) return focusRow(row);
    focusRow(all[Math.min(Math.max(here + step, 0), all.length - 1)]);
  };

  // Press the current row's own control for an action.
  const act = (action) => {
    const row = currentRow();
    const control = row?.querySelector(`[data-action="${action}"]`);
    if (!control) return;
    remember(row);
    // The delete button sits in the row's menu: a click works with the menu closed.
    control.click();
  };

  const ACTIONS = {
    j: () => move(1),
    k: () => move(-1),
    c: () => act("complete"),
    e: () => act("edit"),
    x: () => act("select"),
    "#": () => act("delete"),
    "?": openHelp,
    "/": () => {
      const search = document.getElementById("topbar-q");
      search?.focus();
      search?.select();
    },
    q: () => {
      const field = quickAddField();
      if (field) {
        field.focus();
        field.scrollIntoView({ block: "nearest" });
      } else {
        window.location.assign(dialog.dataset.goQ);
      }
    },
  };
  const GO = {
    m: dialog.dataset.goM,
    t: dialog.dataset.goT,
    u: dialog.dataset.goU,
    i: dialog.dataset.goI,
  };
  // Holding a key repeats only moving, never an action.
  const REPEATS = new Set(["j", "k"]);
  const GO_WAIT_MS = 1500;
  let goSince = 0;

  const typing = (element) => {
    if (!(element instanceof Element)) return false;
    if (element.isContentEditable) return true;
    if (element.matches("textarea, select")) return true;
    return (
      element.matches("input") &&
      !element.matches("[type=checkbox], [type=radio], [type=button], [type=submit], [type=reset]")
    );
  };

  // Escape closes one thing at a time, innermost first. The dialog closes itself, the
  // menus through ui.js and the phone's side panel through Bootstrap.
  const escape = (event) => {
    if (dialog.open) return;
    if (document.querySelector("details.menu[open], details.row-menu[open], .offcanvas.show")) {
      return;
    }
    if (document.body.classList.contains("selecting")) {
      // The bulk bar's Cancel leaves selection mode as a click on it would (tasks.js);
      // focus in the bar, which hides, goes back to the row.
      const inBar = document.activeElement?.closest(".bulk-bar");
      document.querySelector(".bulk-bar [data-select-toggle]")?.click();
      if (inBar) {
        const row = currentRow();
        if (row) focusRow(row);
        else document.querySelector(".page-actions .when-browsing")?.focus();
      }
      return;
    }
    if (typing(event.target)) event.target.blur();
  };

  // While it travels down, before ui.js closes a menu: one Escape, one thing closed.
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "Escape" && !event.defaultPrevented) escape(event);
    },
    true,
  );

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing || event.key === "Escape") return;
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    // Symbols by the character they type, whatever Shift took to type it (? and # need it
    // on most layouts); letters only without Shift, but with Caps Lock too.
    const { key } = event;
    const letter = /^[a-z]$/i.test(key) ? (event.shiftKey ? null : key.toLowerCase()) : key;
    if (!letter) return;
    if (dialog.open) {
      if (letter === "?") {
        event.preventDefault();
        dialog.close();
      }
      return;
    }
    if (event.repeat && !REPEATS.has(letter)) return;

    const going = Date.now() - goSince < GO_WAIT_MS;
    goSince = 0;
    if (going && GO[letter]) {
      event.preventDefault();
      window.location.assign(GO[letter]);
      return;
    }
    if (letter === "g") {
      goSince = Date.now();
      event.preventDefault();
      return;
    }
    const action = ACTIONS[letter];
    if (!action) return;
    // Keeps / and ' from opening the browser's find bar, and q from typing into the
    // field it has just focused.
    event.preventDefault();
    action();
  });
})();

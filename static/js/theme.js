// Runs in <head>, before the first paint, so a dark page never flashes light.
(() => {
  "use strict";
  const root = document.documentElement;
  root.classList.remove("no-js");

  const modes = ["auto", "light", "dark"];
  const labels = { auto: "Theme: system", light: "Theme: light", dark: "Theme: dark" };
  const icons = { auto: "bi-circle-half", light: "bi-sun", dark: "bi-moon-stars" };
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");

  const saved = () => {
    try {
      const mode = localStorage.getItem("theme");
      return modes.includes(mode) ? mode : "auto";
    } catch {
      return "auto";
    }
  };
  const apply = (mode) => {
    const theme = mode === "auto" ? (systemDark.matches ? "dark" : "light") : mode;
    root.setAttribute("data-bs-theme", theme);
  };

  let current = saved();
  apply(current);
  systemDark.addEventListener("change", () => apply(current));

  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("theme-toggle");
    if (!button) return;
    const show = (mode) => {
      button.querySelector("[data-theme-label]").textContent = labels[mode];
      // The icon is optional: without it the button still shows and says the mode.
      const icon = button.querySelector("[data-theme-icon]");
      icon?.classList.remove(...Object.values(icons));
      icon?.classList.add(icons[mode]);
    };
    show(current);
    button.hidden = false;
    button.addEventListener("click", () => {
      current = modes[(modes.indexOf(current) + 1) % modes.length];
      try {
        localStorage.setItem("theme", current);
      } catch {
        // Storage refused (private mode): the choice lasts for this page only.
      }
      apply(current);
      show(current);
    });
  });
})();

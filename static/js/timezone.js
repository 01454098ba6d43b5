// Offer the device's own time zone: filled in silently when signing up, on a
// button in settings. Without JavaScript the account simply starts in UTC.
(() => {
  "use strict";
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!zone) return;

  const hidden = document.querySelector('input[type="hidden"][name="timezone"]');
  if (hidden) hidden.value = zone;

  const offer = document.querySelector("[data-browser-timezone]");
  const field = document.querySelector('input[name="timezone"]:not([type="hidden"])');
  if (offer && field && field.value !== zone) {
    const button = offer.querySelector("button");
    button.textContent = `Use this device’s time zone (${zone})`;
    offer.hidden = false;
    button.addEventListener("click", () => {
      field.value = zone;
      offer.hidden = true;
      field.focus();
    });
  }
})();

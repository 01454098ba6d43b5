// Use the device's own time zone: filled in silently when signing up; in
// settings, filled in (with a note, saved only with the form) while the account
// still has the default zone, otherwise offered on a button. Without JavaScript
// the account simply starts in UTC.
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

  const field = document.querySelector('input[name="timezone"]:not([type="hidden"])');
  // Only a zone the server knows: the page lists those for the field.
  const known = field?.list?.querySelector(`option[value="${CSS.escape(zone)}"]`);
  if (!known || field.value === zone) return;

  const note = document.querySelector("[data-timezone-from-browser]");
  if (note) {
    field.value = zone;
    // Beside the field, and read out with it.
    (document.getElementById(`${field.id}_helptext`) ?? field).after(note);
    const described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? `${described} ${note.id}` : note.id);
    note.hidden = false;
    return;
  }

  const offer = document.querySelector("[data-browser-timezone]");
  if (offer) {
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

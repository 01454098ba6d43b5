// Ticklist's service worker: shows the reminders the server pushes, and opens
// the task (or the Complete / Snooze page) when one is clicked. It caches nothing.
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch {
    // Not JSON: show it as it came.
    message = { body: event.data.text() };
  }
  const actions = Array.isArray(message.actions) ? message.actions : [];
  const links = {};
  for (const { action, url } of actions) links[action] = url;
  event.waitUntil(
    self.registration.showNotification(message.title || "Ticklist", {
      body: message.body || "",
      tag: message.tag,
      // A reminder that replaces an earlier one of the same task still alerts.
      renotify: Boolean(message.tag),
      timestamp: message.timestamp,
      data: { url: message.url || "/", actions: links },
      actions: actions.map(({ action, title }) => ({ action, title })),
    }),
  );
});

// Only our own pages: anything else falls back to the start page.
function ownUrl(address) {
  try {
    const url = new URL(address, self.location.origin);
    if (url.origin === self.location.origin) return url.href;
  } catch {
    // not a URL at all
  }
  return new URL("/", self.location.origin).href;
}

async function show(url) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  // A window already there is focused; any other is left alone, since it may
  // hold something half-typed, and the page opens in a new one.
  const there = windows.find((client) => client.url === url);
  if (there) return there.focus();
  return self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const { url, actions } = event.notification.data || {};
  const target = (event.action && actions?.[event.action]) || url || "/";
  event.waitUntil(show(ownUrl(target)));
});

// Settings › Browser notifications: turn Web Push on or off for this browser.
// The browser's own subscription (pushManager.getSubscription) and the server's
// word on this sign-in (data-on-here) together say whether it is on.
(() => {
  "use strict";
  const section = document.querySelector("[data-push]");
  if (!section) return;
  if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
    document.querySelector("[data-push-unsupported]").hidden = false;
    return;
  }
  const button = section.querySelector("[data-push-toggle]");
  const status = section.querySelector("[data-push-status]");
  const token = section.querySelector('input[name="csrfmiddlewaretoken"]').value;
  const { publicKey, workerUrl, subscribeUrl, unsubscribeUrl } = section.dataset;
  let onHere = "onHere" in section.dataset;

  const say = (text) => {
    status.textContent = text;
  };

  function show(on) {
    onHere = on;
    button.textContent = on ? "Turn off in this browser" : "Turn on in this browser";
    button.disabled = false;
  }

  function keyBytes(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const text = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(text, (character) => character.charCodeAt(0));
  }

  function sameKey(subscription, key) {
    const current = subscription.options?.applicationServerKey;
    if (!current) return true;
    const bytes = new Uint8Array(current);
    return bytes.length === key.length && bytes.every((byte, i) => byte === key[i]);
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body),
    });
    // Signed out meanwhile: the answer is the sign-in page.
    if (response.redirected) throw new Error("Your session has ended: sign in again.");
    return response;
  }

  async function currentSubscription() {
    const registration = await navigator.serviceWorker.getRegistration(workerUrl);
    return registration ? registration.pushManager.getSubscription() : null;
  }

  async function turnOn() {
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      say("This browser is not allowing notifications from Ticklist: allow them in its site settings, then try again.");
      return;
    }
    const registration = await navigator.serviceWorker.register(workerUrl, { scope: "/" });
    await navigator.serviceWorker.ready;
    const key = keyBytes(publicKey);
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription, key)) {
      // Made with the server's old keys, which it can no longer send with.
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: key,
    });
    const response = await post(subscribeUrl, subscription.toJSON());
    if (!response.ok) {
      const { error } = await response.json().catch(() => ({}));
      await subscription.unsubscribe();
      throw new Error(error || "The server did not accept this browser.");
    }
    show(true);
    say("Notifications are on in this browser.");
  }

  async function turnOff() {
    const subscription = await currentSubscription();
    if (subscription) {
      // 404: the server had already forgotten it, which is what we want.
      const response = await post(unsubscribeUrl, { endpoint: subscription.endpoint });
      if (!response.ok && response.status !== 404) throw new Error("The server did not answer.");
      await subscription.unsubscribe();
    }
    show(false);
    say("Notifications are off in this browser.");
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    say(onHere ? "Turning off…" : "Turning on…");
    try {
      await (onHere ? turnOff() : turnOn());
    } catch (error) {
      say(`That did not work: ${error.message}`);
    } finally {
      button.disabled = false;
    }
  });

  (async () => {
    let subscription = null;
    try {
      subscription = await currentSubscription();
    } catch {
      // No service worker allowed here (private mode in some browsers): it stays off.
    }
    section.hidden = false;
    show(Boolean(subscription) && onHere);
    if (Notification.permission === "denied") {
      say("This browser blocks notifications from Ticklist: allow them in its site settings to turn them on.");
    }
  })();
})();

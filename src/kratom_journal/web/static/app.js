// Progressive enhancement only: every page works without this file.
// It keeps "time since" and countdowns current and, when the person asks,
// shows a browser notification as a check-in falls due. Only a check-in after a dose
// notifies: nothing here counts down to, or announces, a further dose.
"use strict";

function formatMinutes(minutes) {
  if (minutes < 60) return minutes + " min";
  if (minutes < 48 * 60) {
    const m = minutes % 60;
    return Math.floor(minutes / 60) + " h " + (m < 10 ? "0" : "") + m + " min";
  }
  return Math.floor(minutes / (24 * 60)) + " days";
}

const notified = new Set();

function tick() {
  const now = Date.now();
  for (const el of document.querySelectorAll("time[data-since]")) {
    const minutes = Math.max(0, Math.floor((now - Date.parse(el.dateTime)) / 60000));
    el.textContent = formatMinutes(minutes) + " ago";
  }
  for (const el of document.querySelectorAll("time[data-countdown]")) {
    const due = Date.parse(el.dateTime);
    const minutes = Math.ceil((due - now) / 60000);
    const clock = el.dataset.clock;  // the person's local time, from the server
    el.textContent = minutes > 0 ? "in " + formatMinutes(minutes) + " (" + clock + ")" : "now";
    const item = el.closest('[data-due-item][data-kind="titration-checkin"]');
    if (minutes <= 0 && item && !notified.has(item)) {
      notified.add(item);
      if (window.Notification && Notification.permission === "granted") {
        new Notification("Kratom Journal", { body: item.dataset.title + " is due now" });
      }
    }
  }
}

function setUpNotifications() {
  const button = document.querySelector("[data-notify]");
  if (!button || !window.Notification || Notification.permission === "denied") return;
  if (Notification.permission === "granted") return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const answer = await Notification.requestPermission();
    button.hidden = answer !== "default";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setUpNotifications();
  tick();
  setInterval(tick, 15000);
});

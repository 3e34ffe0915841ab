// Progressive enhancement for the web view: everything works without it.
// - forms marked data-swap are posted in the background and the highlight
//   they belong to is replaced by the HTML the server answers with;
// - an edit in progress is saved before another form is posted, and leaving the page asks first;
// - buttons with data-copy copy a token or URL;
// - elements with data-key are driven by the keyboard (the daily review);
// - <time data-format> elements show their date in the browser's locale and time zone.

const FRAGMENT_HEADER = { "X-Requested-With": "margins" };

function fragment(html) {
  const template = document.createElement("template");
  template.innerHTML = html.trim();
  return template.content.firstElementChild;
}

async function swap(form) {
  const holder = form.closest(".highlight, .deleted");
  const response = await fetch(form.action, {
    method: "POST", body: new FormData(form), headers: FRAGMENT_HEADER, credentials: "same-origin",
  });
  if (!response.ok) {
    submitNow(form); // let the server's page explain what went wrong
    return;
  }
  const replacement = fragment(await response.text());
  holder.replaceWith(replacement);
  localTimes(replacement);
  const focusable = replacement.querySelector("button, summary, a");
  if (focusable) focusable.focus();
}

// An edit in progress is never dropped: another form posted meanwhile (the review's Next or Favorite)
// saves it first; leaving the page any other way asks.
let leaving = false;

function changed(field) {
  if (field.type === "radio" || field.type === "checkbox") return field.checked !== field.defaultChecked;
  return field.type !== "hidden" && "defaultValue" in field && field.value !== field.defaultValue;
}

function editsInProgress() {
  return [...document.querySelectorAll(".highlight details.edit form")].filter(
    (form) => [...form.elements].some(changed));
}

function submitNow(form) {
  leaving = true;
  form.submit();
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("form[data-swap]") && form.closest(".highlight, .deleted")) {
    event.preventDefault();
    swap(form).catch(() => submitNow(form));
    return;
  }
  const pending = editsInProgress();
  if (pending.length === 0) return;
  event.preventDefault();
  Promise.all(pending.map(swap)).then(() => submitNow(form), () => submitNow(form));
});

window.addEventListener("beforeunload", (event) => {
  if (!leaving && editsInProgress().length > 0) event.preventDefault();
});

document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.querySelector(button.dataset.copy);
  const value = source.value ?? source.textContent;
  try {
    await navigator.clipboard.writeText(value.trim());
    button.textContent = "Copied";
  } catch {
    if (source.select) source.select();
    button.textContent = "Press Ctrl+C";
  }
});

function typing(target) {
  return target.closest("input, textarea, select, [contenteditable]") !== null;
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  const control = document.querySelector(`[data-key="${CSS.escape(event.key)}"]`);
  if (!control) return;
  event.preventDefault();
  if (control.dataset.opens) {
    const details = document.querySelector(control.dataset.opens);
    if (details) details.open = true;
    const field = document.querySelector(control.dataset.focus);
    if (field) {
      field.focus();
      if (field.setSelectionRange) field.setSelectionRange(field.value.length, field.value.length); // type on
    }
  } else {
    control.click();
  }
});

const TIME_FORMATS = {
  date: { dateStyle: "medium" },
  moment: { dateStyle: "medium", timeStyle: "short" },
  day: { dateStyle: "medium", timeZone: "UTC" }, // a date without a time is that day everywhere
};

function localTimes(root) {
  for (const time of root.querySelectorAll("time[data-format]")) {
    const moment = new Date(time.dateTime);
    const format = TIME_FORMATS[time.dataset.format];
    if (format && !Number.isNaN(moment.getTime())) {
      time.title = time.dateTime;
      time.textContent = new Intl.DateTimeFormat(undefined, format).format(moment);
    }
  }
}

localTimes(document);

for (const hidden of document.querySelectorAll("[data-copy][hidden], [data-key][hidden]")) hidden.hidden = false;
document.documentElement.dataset.enhanced = "true"; // tells tests (and CSS) the script is ready

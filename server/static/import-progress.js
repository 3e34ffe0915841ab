// An import's progress page (templates/transfer/import_job.html): asks the job's status every
// second and moves the bar, until the import is done or failed.
const section = document.querySelector(".import-job[data-status-url]");
const bar = document.getElementById("import-progress");
const message = document.getElementById("import-message");
const POLL_MS = 1000;

function show(status) {
  bar.max = Math.max(status.rows_total, 1);
  bar.value = status.rows_done;
  bar.textContent = `${status.rows_done} of ${status.rows_total}`;
  message.textContent = status.message;
  message.className = status.state === "failed" ? "error" : "notice";
  section.dataset.state = status.state;
}

async function follow() {
  let status;
  try {
    const answer = await fetch(section.dataset.statusUrl, { headers: { Accept: "application/json" } });
    if (!answer.ok) throw new Error(`the server answered ${answer.status}`);
    status = await answer.json();
  } catch (error) {
    message.textContent = `Could not ask how the import is going (${error.message}); trying again.`;
    setTimeout(follow, POLL_MS * 5);
    return;
  }
  show(status);
  if (status.state === "queued" || status.state === "running") setTimeout(follow, POLL_MS);
}

if (section && (section.dataset.state === "queued" || section.dataset.state === "running")) setTimeout(follow, POLL_MS);

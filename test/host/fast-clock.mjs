// Preloaded into a CLI child process (node --import) by the terminal test: Date.now runs 1000×
// fast from the moment of loading, so a run of a few milliseconds passes the progress line's
// one-second delay. The CLI itself has no test hook.
const realNow = Date.now;
const start = realNow();
Date.now = () => start + (realNow() - start) * 1000;

"""The timing loop the native helpers share (bench/numpy_svd.py, bench/scipy_svds.py)."""
import statistics
import time


def timing(call, max_time, min_samples):
    """One untimed warm-up call (first-call effects such as page faults and lazy initialisation
    stay out of the samples), then calls until max_time seconds have passed and at least
    min_samples were made. Returns {"median", "samples"} in seconds (perf_counter)."""
    call()
    samples = []
    begin = time.perf_counter()
    while len(samples) < min_samples or time.perf_counter() - begin < max_time:
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return {"median": statistics.median(samples), "samples": samples}

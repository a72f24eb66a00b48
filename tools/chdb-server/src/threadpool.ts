/**
 * chDB runs every statement on a libuv pool thread, and an INSERT fed through a pipe holds its
 * thread until the body has arrived. Node's default of 4 threads would cap the engine pool and
 * let slow uploads starve the file system calls, so the pool is sized before anything uses it.
 * Imported first by main.ts: the pool is created on first use and cannot grow afterwards.
 */
const requested = Number(process.env.CHDB_POOL_SIZE) || 8;
const wanted = Math.min(1024, Math.max(16, requested * 2 + 8));
if (!process.env.UV_THREADPOOL_SIZE || Number(process.env.UV_THREADPOOL_SIZE) < wanted) {
  process.env.UV_THREADPOOL_SIZE = String(wanted);
}

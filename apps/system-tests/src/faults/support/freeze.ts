/**
 * SIGSTOP / SIGCONT a child: a frozen process keeps its sockets open but
 * answers nothing, which holds calls in flight for as long as a test needs.
 */
export function freeze(pid: number | undefined): void {
  if (pid !== undefined) process.kill(pid, 'SIGSTOP');
}

export function thaw(pid: number | undefined): void {
  // A process that already exited has nothing to resume.
  if (pid !== undefined) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // gone already
    }
  }
}

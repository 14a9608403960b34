/**
 * A reason the service cannot start that the operator must fix (configuration, DATA_DIR, port):
 * `npm run server` prints its message as one line and exits 1, without a stack.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

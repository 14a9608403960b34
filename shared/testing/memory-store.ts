/** The in-memory PhoneStore lives with PhoneCore (the bot uses it too); re-exported for tests. */
export { MemoryStore } from '../phone/memory-store';

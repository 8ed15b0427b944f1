/** Limits both processes get, small enough that generated values cross them often. */
export const USER_DATA_MAX_BYTES = 4096;
export const BODY_LIMIT_BYTES = 16384;

/** The session document's format tag: its own file so the writer and the validator share it without importing each other. */
export const SESSION_JSON_FORMAT = "conclave.session";

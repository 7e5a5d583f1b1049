/**
 * The document formats the bot reads, in one place: the extensions REPORTS_DIR and uploads
 * accept, their size limit, and how they are named to people.
 */

/** File types the bot and REPORTS_DIR accept (a .doc is accepted to answer it with advice). */
export const ACCEPTED_EXTENSIONS: ReadonlySet<string> = new Set([".pdf", ".docx", ".doc", ".html", ".htm", ".txt", ".md"]);

/** Larger files are not read: a report is a few hundred KB even with images. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The accepted formats as people call them, for messages. */
export const FORMATS_TEXT = "PDF、Word（.docx）、网页（.html）或文本（.txt、.md）";

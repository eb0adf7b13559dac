// Help texts of `quire` and its commands, and the error that means "you called it wrong" (exit 2).

export class UsageError extends Error {
  constructor(
    message: string,
    /** The help of the command that was misused, shown after the message. */
    readonly usage: string
  ) {
    super(message)
    this.name = 'UsageError'
  }
}

/** Runs a command's argument parsing; whatever it refuses is a usage error showing `help`. */
export function parsingCommandLine<Parsed>(help: string, parse: () => Parsed): Parsed {
  try {
    return parse()
  } catch (error) {
    throw new UsageError((error as Error).message, help)
  }
}

export const MAIN_HELP = `Usage: quire <command> [options]

Commands:
  export PROJECT --format FORMAT --out PATH   write a tagged corpus (brat, conll, jsonl, tei, csv)
  import PROJECT FILE...                      add texts or annotations (txt, brat, conll, jsonl)
  stats PROJECT [--json]                      documents, spans by tag and by annotator

Run "quire <command> --help" for a command's options.
Exit codes: 0 ok, 1 data error (the message names the file and line), 2 usage error.`

export const EXPORT_HELP = `Usage: quire export PROJECT --format brat|conll|jsonl|tei|csv --out PATH [options]

Writes the project's annotations as a corpus. --out is a folder for brat and tei (one
.txt/.ann pair or one .xml per document, with manifest.json) and a file for conll, jsonl and
csv (conll also gets PATH.manifest.json with each text's SHA-256). An existing file is
replaced; an existing folder only when it holds an earlier Quire export.

Options:
  --format FORMAT      brat, conll, jsonl, tei or csv
  --out PATH           destination file or folder
  --scheme SCHEME      conll tags: iob1, iob2 (default) or bioes
  --offsets UNIT       jsonl and csv offsets: codepoint (default), utf16 or utf8
  --annotator NAME     only this annotator's spans (repeat for several; default all)
  --document ID        only this document (repeat for several; default all)
  --quiet              no progress or summary, only warnings and errors
  -h, --help           this help`

export const IMPORT_HELP = `Usage: quire import PROJECT FILE... [options]

Adds texts (.txt) or annotations (brat .ann with its .txt, CoNLL, JSONL) to PROJECT, creating
the project when the folder does not exist or is empty. A folder given as FILE stands for the
files in it. Annotation imports check everything first: on any error (reported as
FILE:LINE: message) nothing is imported.

Options:
  --format FORMAT      txt, brat, conll or jsonl (default: from the file extensions)
  --annotator NAME     annotator of spans whose file names none (default: your Quire name,
                       else your user name); also recorded as the importer of new texts
  --scheme SCHEME      conll tags: iob1, iob2 or bioes (default: detected)
  --add-unknown-tags   add tags the project does not have yet instead of refusing the import
  -h, --help           this help`

export const STATS_HELP = `Usage: quire stats PROJECT [--json]

Prints the number of documents and of spans by tag and by annotator, and each annotator's
progress (documents not started, in progress, done).

Options:
  --json               print the figures as JSON
  -h, --help           this help`

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
  entities PROJECT [--json]                   entities: names, identifiers, aliases, mentions
  agreement PROJECT [--annotator NAME]...     inter-annotator agreement (span F1, κ, α)
  curate PROJECT --strategy NAME              start gold layers pre-filled from the annotators
  clean PROJECT [--steps STEPS] [--dry-run]   clean PDF extractions; every layer follows
  sync PROJECT                                git: commit your files, pull (rebase), push
  tag-all PROJECT TEXT --tag TAG [--dry-run]  tag every occurrence of a text in your layers

Run "quire <command> --help" for a command's options.
Exit codes: 0 ok, 1 data error (the message names the file and line), 2 usage error.`

export const EXPORT_HELP = `Usage: quire export PROJECT --format FORMAT --out PATH [options]

Writes the project's annotations as a corpus. --out is a folder for brat and tei (one
.txt/.ann pair or one .xml per document, with manifest.json) and a file for conll, jsonl and
csv, doccano and label-studio (conll also gets PATH.manifest.json with each text's SHA-256).
An existing file is replaced; an existing folder only when it holds an earlier Quire export.
doccano and label-studio files import into those tools, and back into Quire, unchanged.

Options:
  --format FORMAT      brat, conll, jsonl, tei, csv, doccano or label-studio
  --out PATH           destination file or folder
  --scheme SCHEME      conll tags: iob1, iob2 (default) or bioes
  --offsets UNIT       jsonl and csv offsets: codepoint (default), utf16 or utf8
  --annotator NAME     only this annotator's spans (repeat for several; default all)
  --document ID        only this document (repeat for several; default all)
  --quiet              no progress or summary, only warnings and errors
  -h, --help           this help`

export const IMPORT_HELP = `Usage: quire import PROJECT FILE... [options]

Adds texts (.txt) or annotations (brat .ann with its .txt, CoNLL, JSONL, and other tools'
exports: doccano JSONL, Label Studio JSON, INCEpTION/WebAnno TSV 3, Prodigy/spaCy JSONL) to
PROJECT, creating the project when the folder does not exist or is empty. A folder given as FILE stands for the
files in it. Annotation imports check everything first: on any error (reported as
FILE:LINE: message) nothing is imported.

Options:
  --format FORMAT      txt, brat, conll, jsonl, doccano, label-studio, webanno-tsv or prodigy
                       (default: from the files: .ann, .conll, .json, .tsv, and .jsonl by its keys)
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

export const ENTITIES_HELP = `Usage: quire entities PROJECT [--json]

Lists the project's entities, most mentioned first: those saved in entities.json (merged
aliases, a name, an identifier such as Wikidata:Q1630451), marked *, and every other tagged
text, grouped with its variants in case, diacritics and spacing ("İlham  Əliyev" is "Ilham
Aliyev"). For each: name, identifier, mentions, documents and the texts seen.

Options:
  --json               print the list as JSON (the app's EntityList)
  -h, --help           this help`

export const AGREEMENT_HELP = `Usage: quire agreement PROJECT [--annotator NAME]... [--document ID]... [--json]

Inter-annotator agreement over the project (or the chosen documents) between every annotator
with a layer (or the chosen ones, at least two): span F1 (exact and overlap) and Cohen's κ per
pair, Fleiss' κ and Krippendorff's α (nominal) for all together, each also per tag. κ and α
count word tokens labelled by the spans touching them, O where none does; a document an
annotator has no layer on is missing for them, not O. docs/AGREEMENT.md has the details.

Options:
  --annotator NAME     compare this annotator (repeat; at least two; "curation" is the gold layer)
  --document ID        only this document (repeat; default all)
  --json               print the whole report as JSON
  -h, --help           this help`

export const CURATE_HELP = `Usage: quire curate PROJECT --strategy unanimous|majority|none [--annotator NAME]... [--document ID]... [--curator NAME]

Starts the curation of each document (all, or the chosen ones): its gold layer (annotator
"curation") is created from the annotators' layers, pre-filled with the spans every annotator
made (unanimous), more than half made (majority) or none. A document whose curation has begun
is left as it is. Disagreements are then settled in the app.

Options:
  --strategy NAME      unanimous, majority or none
  --annotator NAME     compare this annotator (repeat; default everyone with a layer on the document)
  --document ID        only this document (repeat; default all)
  --curator NAME       recorded as the curator (default: your Quire name, else your user name)
  -h, --help           this help`

export const SYNC_HELP = `Usage: quire sync PROJECT [--annotator NAME]

For a project that is (inside) a git repository: commits your own files (your layers, the gold
layer, documents you imported, project.json), pulls colleagues' commits (rebase) and pushes.
Each person writes only their own files, so annotations never conflict; on any conflict
nothing is merged, the working tree is left as it was and the file is named.

Options:
  --annotator NAME     whose files to commit (default: your Quire name, else your user name)
  -h, --help           this help`

export const CLEAN_HELP = `Usage: quire clean PROJECT [--document ID]... [--steps undouble,unwrap,dehyphenate,blank-lines,spaces] [--dry-run] [--annotator NAME]

Cleans texts extracted from PDFs, as the app's "Clean up text" does: prints what each step
changes per document, then saves the steps as one revision of the text. Every annotator's
spans follow the text (colleagues' layers are mapped when read; only yours are rewritten).
Steps run in this order, whatever order they are named in:
  undouble      a line that is its first half repeated, or repeats the line before it
  unwrap        hard-wrapped lines inside a paragraph joined (a blank line ends a paragraph)
  dehyphenate   "co-" at a line end + "operation" joined; the hyphen is kept only when the
                hyphenated form occurs elsewhere in the project and the joined one does not
  blank-lines   whitespace-only lines emptied, runs of empty lines collapsed to one
  spaces        runs of spaces collapsed, trailing spaces removed

Options:
  --document ID        only this document (repeat; default all)
  --steps STEPS        comma-separated steps (default all five)
  --dry-run            print what would change; write nothing
  --annotator NAME     the revision's author (default: your Quire name, else your user name)
  -h, --help           this help`

export const TAG_ALL_HELP = `Usage: quire tag-all PROJECT TEXT --tag TAG [--regex] [--whole-word] [--match-case] [--match-diacritics] [--document ID]... [--annotator NAME] [--dry-run]

Tags every occurrence of TEXT as TAG in the annotator's layer of each document, as the app's
"Tag all N occurrences" does: one save per document. Occurrences a TAG span of the annotator
already overlaps are skipped and listed. Case and diacritics are ignored unless asked for
("Aliyev" finds "Əliyev"). A regular expression is stopped after a time limit.

Options:
  --tag TAG             the tag's id, e.g. ORG (required)
  --regex               TEXT is a regular expression (JavaScript syntax)
  --whole-word          only occurrences that are whole words
  --match-case          upper and lower case differ
  --match-diacritics    letters with and without diacritics differ
  --document ID         only this document (repeat; default all)
  --annotator NAME      whose layer (default: your Quire name, else your user name)
  --dry-run             print what would be tagged; write nothing
  -h, --help            this help`

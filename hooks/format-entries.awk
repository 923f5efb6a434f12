# `git log` records (see baton_log in baton.sh) → baton memory entries:
#
#   ## <author time, UTC> commit <first 12 hex of the SHA>
#   <subject>
#
#   <up to 5 lines of the body, without its trailers>
#
#   - path +added -deleted
#
# Prints the entries, separated by blank lines. With -v memfile=FILE, only those
# of commits FILE does not hold yet, led by what appending them to FILE needs (a
# blank line, or -v header=TEXT when FILE is empty): the pre-commit hook appends
# the output to FILE. Without memfile, every entry (what `baton memory rebuild` reads).
# Secrets are redacted (subjects, bodies and file names): the token shapes of
# hooks/secret-shapes.txt (-v shapes=) and private key blocks, also one cut off by the 5-line limit.
# POSIX awk only (no interval expressions, no gawk extensions).
BEGIN {
  # Token shapes: hooks/secret-shapes.txt, the table src/core/redact.ts is made from
  # (-v shapes=FILE; else beside this script in $baton_pkg). One read per run.
  nsec = 0
  if (shapes == "" && ENVIRON["baton_pkg"] != "") shapes = ENVIRON["baton_pkg"] "/hooks/secret-shapes.txt"
  if (shapes != "") {
    while ((getline line < shapes) > 0) {
      if (line ~ /^#/ || line !~ /\t/) continue
      k = split(line, sf, "\t")
      sec[++nsec] = ere(sf[2]); secb[nsec] = ""; seca[nsec] = ""; secw[nsec] = 0
      for (i = 3; i <= k; i++) {
        if (sf[i] == "word") secw[nsec] = 1
        else if (index(sf[i], "before=") == 1) secb[nsec] = ere(substr(sf[i], 8))
        else if (index(sf[i], "after=") == 1) seca[nsec] = ere(substr(sf[i], 7))
      }
    }
    close(shapes)
  }
  n = 0
  if (memfile != "") {
    RS = "\n"
    fence = ""
    while ((getline line < memfile) > 0) {
      n++
      # A file saved with CRLF (Windows, core.autocrlf) reads as its LF twin; its entries are written in CRLF.
      if (sub(/\r$/, "", line) && n == 1) crlf = 1
      last = line
      # Code fences, as src/memory/file.ts reads them: one left open is closed before appending.
      if (line ~ /^ ? ? ?(```|~~~)/) {
        fl = line; sub(/^[ \t]+/, "", fl); sub(/[ \t\r]+$/, "", fl)
        if (fence == "") { match(fl, /^(`+|~+)/); fence = substr(fl, 1, RLENGTH) }
        else if (index(fl, fence) == 1 && fl ~ /^[`~]+$/) fence = ""
      }
      if (line ~ /^## [0-9][0-9-]*T[0-9:]*Z commit [0-9a-f]/) { split(line, h, " "); seen[substr(h[4], 1, 12)] = 1 }
    }
    close(memfile)
  }
  RS = "\036"; FS = "\037"
}

function rep(cls, k,    out) { out = ""; while (k-- > 0) out = out cls; return out }

# `[...]{n}` and `[...]{n,}` → the class n times (then `*`): POSIX awk has no intervals.
function ere(re,    out, cls, j, n, close_at) {
  out = ""
  while (re != "") {
    if (substr(re, 1, 1) == "[") {
      j = 2; if (substr(re, j, 1) == "^") j++
      if (substr(re, j, 1) == "]") j++
      close_at = index(substr(re, j), "]") + j - 1
      cls = substr(re, 1, close_at); re = substr(re, close_at + 1)
      if (match(re, /^\{[0-9]+,?\}/)) {
        n = substr(re, 2, RLENGTH - 2)
        out = out rep(cls, n + 0) (n ~ /,$/ ? cls "*" : "")
        re = substr(re, RLENGTH + 1)
      } else out = out cls
    } else { out = out substr(re, 1, 1); re = substr(re, 2) }
  }
  return out
}

# Every secret of shape i that starts a word (and, with `word`, ends one) → [REDACTED],
# the kept text before and after it (the table's before= and after=) left as it was.
function scrub(s, i,    out, after, whole, lead, len) {
  whole = "[^A-Za-z0-9_]" secb[i] sec[i] seca[i]
  s = " " s; out = ""
  while (match(s, whole)) {
    after = substr(s, RSTART + RLENGTH, 1)
    if (secw[i] && after ~ /[A-Za-z0-9_]/) { out = out substr(s, 1, RSTART); s = substr(s, RSTART + 1); continue }
    lead = 0
    if (secb[i] != "" && match(substr(s, RSTART + 1), "^" secb[i])) lead = RLENGTH
    match(s, whole)
    len = RLENGTH
    if (seca[i] != "" && match(substr(s, RSTART + 1 + lead), "^" sec[i])) len = 1 + lead + RLENGTH
    match(s, whole)
    out = out substr(s, 1, RSTART + lead) "[REDACTED]"
    s = substr(s, RSTART + len)
  }
  return substr(out s, 2)
}

function redact(s,    i) {
  sub(/-----BEGIN [A-Z ]*PRIVATE KEY-----.*/, "[REDACTED]", s)
  for (i = 1; i <= nsec; i++) if (s ~ sec[i]) s = scrub(s, i)
  return s
}

# A line is kept to 1,000 characters: a 1 MiB subject would make an entry no prompt can hold
# (src/memory/entry.ts cuts entries the same way). Cut before redaction, which then sees less.
function cut(s,    n) {
  if (length(s) <= 1000) return s
  # Not inside a UTF-8 character (an awk that counts bytes): back off its continuation bytes.
  n = 1000
  while (n > 990 && substr(s, n + 1, 1) ~ /^[\200-\277]/) n--
  return substr(s, 1, n) " … (cut)"
}

function trim_end(s) { sub(/[ \t\r\n]+$/, "", s); return s }

function body_lines(body,    L, k, i, last, trailers, out, count, inkey) {
  k = split(body, L, "\n")
  while (k > 0 && L[k] ~ /^[ \t\r]*$/) k--
  # The last paragraph is git's trailer block when every line is `Key: value`.
  last = k
  while (last > 0 && L[last] !~ /^[ \t\r]*$/) last--
  trailers = k > 0
  for (i = last + 1; i <= k; i++) if (L[i] !~ /^[A-Za-z0-9][A-Za-z0-9-]*:[ \t]/) trailers = 0
  if (trailers) k = last
  out = ""; count = 0; inkey = 0
  for (i = 1; i <= k && count < 5; i++) {
    # A private key block goes whole: to its END line, else to the paragraph's end.
    if (inkey) {
      if (L[i] ~ /-----END [A-Z ]*PRIVATE KEY-----/) { inkey = 0; continue }
      if (L[i] !~ /^[ \t\r]*$/) continue
      inkey = 0
    }
    if (L[i] ~ /-----BEGIN [A-Z ]*PRIVATE KEY-----/ && L[i] !~ /-----BEGIN [A-Z ]*PRIVATE KEY-----.*-----END [A-Z ]*PRIVATE KEY-----/) inkey = 1
    # `#` lines are git's comments, and would read as headings in markdown.
    if (L[i] ~ /^#/) continue
    out = out (count ? "\n" : "") redact(cut(L[i]))
    count++
  }
  return trim_end(out)
}

function file_lines(stat,    L, k, i, a, path, out, count, more) {
  k = split(stat, L, "\n")
  out = ""; count = 0; more = 0
  for (i = 1; i <= k; i++) {
    if (L[i] !~ /^[0-9-]+\t[0-9-]+\t/) continue
    split(L[i], a, "\t")
    path = substr(L[i], length(a[1]) + length(a[2]) + 3)
    # Memory files change in every commit (the hook stages them): not news.
    if (index(path, ".agents/memory/") == 1) continue
    if (count == 30) { more++; continue }
    out = out (count ? "\n" : "") "- " redact(path) (a[1] == "-" ? " (binary)" : " +" a[1] " -" a[2])
    count++
  }
  if (more) out = out "\n- and " more " more file" (more == 1 ? "" : "s")
  return out
}

# baton's own bookkeeping commit (Start, Log, Done, Plan, ...): a `Baton-Commit:`
# trailer and nothing but baton's files (`.agents/`, and what init writes beside
# it: AGENTS.md, .gitattributes, the agents' pointer files, husky's tracked
# hooks, the agent hosts' baton commands; isBatonPath in src/git/history.ts). Not news:
# it gets no entry. A trailer on a commit that touches anything else does not hide it.
function baton_own(body, stat,    L, k, i, a, own, path) {
  if (body !~ /(^|\n)Baton-Commit: [a-z]/) return 0
  k = split(stat, L, "\n")
  own = 0
  for (i = 1; i <= k; i++) {
    if (L[i] !~ /^[0-9-]+\t[0-9-]+\t/) continue
    split(L[i], a, "\t")
    path = substr(L[i], length(a[1]) + length(a[2]) + 3)
    if (index(path, ".agents/") != 1 && path !~ /^(AGENTS\.md|\.gitattributes|CLAUDE\.md|GEMINI\.md|\.cursor\/rules\/baton\.mdc|\.github\/copilot-instructions\.md|\.husky\/[a-z-]+)$/ &&
        path !~ /^(\.claude\/commands\/baton-[a-z]+\.md|\.gemini\/commands\/baton\/[a-z]+\.toml|\.github\/prompts\/baton-[a-z]+\.prompt\.md|\.cursor\/commands\/baton-[a-z]+\.md)$/) return 0
    own = 1
  }
  return own
}

# The first record: the SHAs asked for, in order (baton_log). A record is taken
# only when it starts with the next of them; any other piece is message text that
# held the record separator, and goes back into the record it was cut from.
NR == 1 {
  k = split($0, L, "\n")
  for (i = 1; i <= k; i++) if (L[i] != "" && !(L[i] in listed)) { listed[L[i]] = 1; order[++norder] = L[i] }
  at = 1
  next
}

{
  split($0, F, "\037")
  if (rec != "" && !next_record(F[1])) { rec = rec " " $0; next }
  if (rec != "") commit_record(rec)
  rec = $0
  at++
}

# The next SHA asked for; one given other than as a full SHA (a ref) takes any full SHA.
function next_record(sha) {
  if (at > norder) return 0
  if (order[at] ~ /^[0-9a-f]+$/ && (length(order[at]) == 40 || length(order[at]) == 64)) return sha == order[at]
  return sha ~ /^[0-9a-f]+$/ && (length(sha) == 40 || length(sha) == 64)
}

# One commit: SHA, date and trailer first (git's own text), the subject, the body
# (every field up to the last: a message may hold the field separator), numstat last.
function commit_record(r,    F, n, i, sha, short, t, body, text, b, f) {
  n = split(r, F, "\037")
  sha = F[1]
  if (sha == "") return
  body = F[5]
  for (i = 6; i < n; i++) body = body " " F[i]
  if (baton_own(body, F[n])) return
  short = substr(sha, 1, 12)
  # A `Task:` trailer naming another task sends the commit to that task's file.
  split(F[3], t, " ")
  if (task != "" && t[1] ~ /^T-[0-9a-f]+$/ && t[1] != task) { print sha " " t[1] >> elsewhere; return }
  # A merged tip (`-v task=tip`) is news only for the task its trailer names.
  if (task == "tip") return
  if (short in seen) return
  seen[short] = 1
  text = "## " F[2] " commit " short "\n" redact(cut(F[4]))
  b = body_lines(body)
  if (b != "") text = text "\n\n" b
  f = file_lines(F[n])
  if (f != "") text = text "\n\n" f
  entries[++m] = text
}

# With -v appended=FILE, what is printed is also written to FILE (emptied first):
# the exact text the pre-commit hook appends, for an aborted commit to take back.
function out(s) {
  if (crlf) { gsub(/\n/, "\r\n", s); printf "%s\r\n", s; if (appended != "") printf "%s\r\n", s > appended; return }
  print s; if (appended != "") print s > appended
}

END {
  if (rec != "") commit_record(rec)
  if (appended != "") printf "" > appended
  if (memfile != "" && m) {
    if (n == 0 && header != "") { out(header); out("") }
    else if (fence != "") { out(fence); out("") }
    else if (n && last != "") out("")
  }
  for (i = 1; i <= m; i++) {
    if (i > 1) out("")
    out(entries[i])
  }
}

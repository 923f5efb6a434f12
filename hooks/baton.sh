# baton's git hooks: the work done on every commit, in POSIX sh and git's own
# commands, because a Node start costs ~70 ms and a commit ~4 ms. Per commit this
# runs three sh processes, `git diff-index` (unless the index is untouched since
# the last commit), `git log`, `awk` and `git add`, and nothing else.
# Sourced by the stubs `baton hooks install` puts in the hooks folder (they set
# baton_pkg, baton_node and baton_chain). Git runs hooks at the worktree root.
#
# How a commit becomes memory, exactly once:
#   commit-msg    adds a `Task: <id>` trailer on a task branch (unless one is there);
#   post-commit   queues "<sha> <task>" in the worktree's own git dir (the branch's
#                 task, or `project`; a `Task:` trailer naming another task wins
#                 when the entry is written);
#   post-merge    the same for a merge commit made by `git merge`, and `<sha> tip`
#                 for the tips it merged (or fast-forwarded to): written where
#                 their `Task:` trailer sends them (their entry waits elsewhere);
#   post-rewrite  queues the "<old> <new>" pairs of an amend or a rebase;
#   pre-commit    writes the queued records into .agents/memory/<task>.md and stages
#                 them, so they go into this commit and the tree stays clean. When
#                 rewrites are queued it hands over to Node (`baton hooks flush`),
#                 which replaces rewritten entries in place (rare: after amend/rebase).
#                 With nothing staged it writes nothing (git stops: "nothing to
#                 commit"); a commit that stops later is undone by commit-msg, or
#                 else by the next pre-commit (aborted-commit.sh).
# `baton log`, `baton done` and `baton sync` flush the queue too (flushQueue).
# Entries are redacted by format-entries.awk (the token shapes of hooks/secret-shapes.txt
# and private key blocks); the Node flush and `baton memory rebuild` redact again.

# The fields of one commit record; Node reads commits with the same command.
# The SHAs asked for (stdin) lead the output, in order, before the first record:
# format-entries.awk takes a record only as the next of them, so a message that
# carries the record separator and a made-up record cannot pass for a commit.
baton_log() {
  baton_shas=''
  while IFS= read -r baton_line; do baton_shas="$baton_shas$baton_line
"; done
  printf '%s' "$baton_shas"
  TZ=UTC git -c core.quotePath=false log --stdin --no-walk=unsorted -M --diff-merges=first-parent \
    --numstat --date=format-local:%Y-%m-%dT%H:%M:%SZ \
    --format='%x1e%H%x1f%ad%x1f%(trailers:key=Task,valueonly,separator=%x20)%x1f%s%x1f%b%x1f' <<BATON_SHAS
$baton_shas
BATON_SHAS
}

# Formatted entries of the commits whose SHAs are on stdin (used by Node too).
baton_entries() {
  baton_log | awk -v memfile= -v shapes="$baton_pkg/hooks/secret-shapes.txt" -f "$baton_pkg/hooks/format-entries.awk"
}

# The worktree's own git dir, without spawning git.
baton_gitdir() {
  if [ -n "${GIT_DIR:-}" ]; then baton_gd=$GIT_DIR
  elif [ -d .git ]; then baton_gd=.git
  else
    IFS= read -r baton_line < .git || return 1
    baton_gd=${baton_line#gitdir: }
  fi
  baton_q=$baton_gd/baton
}

# The branch being worked on (also during a rebase, when HEAD is detached); '' if none.
baton_branch() {
  IFS= read -r baton_line < "$baton_gd/HEAD" || return 1
  baton_br=''
  case $baton_line in
    'ref: refs/heads/'*) baton_br=${baton_line#ref: refs/heads/} ;;
    *)
      for baton_f in "$baton_gd/rebase-merge/head-name" "$baton_gd/rebase-apply/head-name"; do
        if [ -r "$baton_f" ] && IFS= read -r baton_line < "$baton_f"; then
          baton_br=${baton_line#refs/heads/}
          break
        fi
      done ;;
  esac
  # The queue file's name: the branch with `/` as `%`.
  baton_k=$baton_br baton_key=''
  while :; do
    case $baton_k in
      */*) baton_key=$baton_key${baton_k%%/*}%; baton_k=${baton_k#*/} ;;
      *) baton_key=$baton_key$baton_k; break ;;
    esac
  done
}

# branch_prefix and record_off_task_commits from .agents/config.yaml. sh's `read`
# takes a system call per byte, so the two values are kept in the git dir and
# parsed again only when config.yaml is newer.
baton_config() {
  baton_prefix='task/' baton_offtask=true
  [ -r .agents/config.yaml ] || return 0
  if [ -r "$baton_q/config.sh" ] && ! [ .agents/config.yaml -nt "$baton_q/config.sh" ]; then
    . "$baton_q/config.sh"
    return 0
  fi
  while IFS= read -r baton_line || [ -n "$baton_line" ]; do
    case $baton_line in
      branch_prefix:*|record_off_task_commits:*) ;;
      *) continue ;;
    esac
    baton_v=${baton_line#*:}
    baton_v=${baton_v%%[[:space:]]#*}
    baton_v=${baton_v#"${baton_v%%[![:space:]]*}"}
    baton_v=${baton_v%"${baton_v##*[![:space:]]}"}
    case $baton_v in \"*\") baton_v=${baton_v#\"}; baton_v=${baton_v%\"} ;; \'*\') baton_v=${baton_v#\'}; baton_v=${baton_v%\'} ;; esac
    case $baton_line in
      branch_prefix:*) baton_prefix=$baton_v ;;
      *) baton_offtask=$baton_v ;;
    esac
  done < .agents/config.yaml
  case $baton_prefix$baton_offtask in *"'"*) return 0 ;; esac
  [ -d "$baton_q" ] || mkdir -p "$baton_q" || return 0
  printf "baton_prefix='%s' baton_offtask='%s'\n" "$baton_prefix" "$baton_offtask" > "$baton_q/config.sh"
}

# The task of the branch: `T-<hex>` after the prefix, or ''.
baton_branch_task() {
  baton_id=''
  case $baton_br in "$baton_prefix"T-*) ;; *) return 0 ;; esac
  baton_rest=${baton_br#"$baton_prefix"T-}
  baton_hex=${baton_rest%%[!0-9a-f]*}
  [ -n "$baton_hex" ] || return 0
  case $baton_rest in "$baton_hex"|"$baton_hex"-*) baton_id=T-$baton_hex ;; esac
}

baton_setup() {
  baton_gitdir && baton_branch && baton_config && baton_branch_task
}

# commit-msg: add the trailer (as `git interpret-trailers --if-exists doNothing`
# would, with builtins only: an exec costs as much as the rest of the hook), but
# never to an empty message (that aborts the commit). It joins a trailer block
# that ends the message, else starts one after a blank line, before any
# comment lines and `git commit -v`'s diff.
# True when the message has a line that is not blank, a comment or a sign-off:
# git will not find it empty (aborted-commit.sh's baton_message_empty decides the rest).
baton_has_text() {
  while IFS= read -r baton_line || [ -n "$baton_line" ]; do
    case $baton_line in
      *[![:space:]]*) ;;
      *) continue ;;
    esac
    case $baton_line in
      '#'*|'Signed-off-by: '*) continue ;;
    esac
    return 0
  done < "$1"
  return 1
}

baton_commit_msg() {
  baton_setup || return 1
  # git stops for an empty message after this hook: undo what pre-commit staged.
  # A line of text settles it at once; only a message without one is looked at closely.
  if [ -s "$baton_q/pending" ] && ! baton_has_text "$1"; then
    . "$baton_pkg/hooks/aborted-commit.sh"
    if baton_message_empty "$1"; then baton_undo_pending; return; fi
  fi
  [ -n "$baton_id" ] || return 0
  baton_text='' baton_tail='' baton_para_trailers='' baton_has=''
  while IFS= read -r baton_line || [ -n "$baton_line" ]; do
    if [ -n "$baton_tail" ]; then baton_tail="$baton_tail$baton_line
"; continue; fi
    case $baton_line in
      'Task: '*) return 0 ;;
      '#'*) baton_tail="$baton_line
"; continue ;;
      '') baton_para_trailers='' ;;
      *)
        case $baton_line in
          [A-Za-z0-9]*:' '*) [ -n "$baton_has" ] && [ "$baton_para_trailers" != no ] && baton_para_trailers=yes ;;
          *) baton_para_trailers=no ;;
        esac
        baton_has=1 ;;
    esac
    baton_text="$baton_text$baton_line
"
  done < "$1"
  [ -n "$baton_has" ] || return 0
  # Trailing blank lines go; the trailer follows the last line of text.
  while :; do
    case $baton_text in
      *"

") baton_text=${baton_text%?} ;;
      *) break ;;
    esac
  done
  if [ "$baton_para_trailers" = yes ]; then
    printf '%sTask: %s\n%s' "$baton_text" "$baton_id" "$baton_tail" > "$1"
  else
    printf '%s\nTask: %s\n%s' "$baton_text" "$baton_id" "$baton_tail" > "$1"
  fi
}

# The commit HEAD names, read from files (no process): HEAD itself when detached
# (a rebase), else the branch's loose ref, which git has just written.
baton_head_sha() {
  IFS= read -r baton_line < "$baton_gd/HEAD" || return 1
  case $baton_line in
    'ref: '*)
      baton_ref=${baton_line#ref: } baton_common=$baton_gd
      if [ -r "$baton_gd/commondir" ]; then
        IFS= read -r baton_common < "$baton_gd/commondir"
        case $baton_common in /*) ;; *) baton_common=$baton_gd/$baton_common ;; esac
      fi
      if [ -r "$baton_common/$baton_ref" ]; then IFS= read -r baton_sha < "$baton_common/$baton_ref"
      else baton_sha=$(git rev-parse HEAD) || return 1
      fi ;;
    *) baton_sha=$baton_line ;;
  esac
}

# post-commit / post-merge: queue HEAD for the branch's task (or project). A
# `Task:` trailer naming another task wins; the flush reads it (format-entries.awk).
baton_record() {
  baton_mode=$1
  baton_setup || return 1
  # The commit was made: what pre-commit staged went into it (aborted-commit.sh).
  [ "$baton_mode" != commit ] || ! [ -s "$baton_q/pending" ] || : > "$baton_q/pending"
  [ "$baton_mode" != commit ] || ! [ -s "$baton_q/committing" ] || : > "$baton_q/committing"
  [ -n "$baton_br" ] || return 0
  baton_head_sha || return 1
  # The index as this commit left it, marked with the commit (baton_nothing_staged).
  [ "$baton_mode" != commit ] || printf '%s\n' "$baton_sha" > "$baton_q/index-mark" || :
  baton_task=$baton_id
  [ -n "$baton_task" ] || [ "$baton_offtask" != true ] || baton_task=project
  baton_records=''
  [ -z "$baton_task" ] || baton_records="$baton_sha $baton_task
"
  if [ "$1" = merge ]; then
    # The tips merged in are queued as `tip`: the last commit of a branch has
    # its entry waiting in that branch's queue, which this branch never reads.
    # A tip goes where its `Task:` trailer sends it, or nowhere (a commit of
    # the base was recorded there). A fast-forward made no commit of its own.
    baton_parents=$(git log -1 --format=%P HEAD) || return 1
    set -- $baton_parents
    if [ $# -gt 1 ]; then
      # An octopus merge fast-forwards to the first branch when it can: then the
      # first parent is not where HEAD was (ORIG_HEAD) but a merged tip too.
      baton_orig=''
      [ -r "$baton_gd/ORIG_HEAD" ] && IFS= read -r baton_orig < "$baton_gd/ORIG_HEAD"
      [ -z "$baton_orig" ] || [ "$1" = "$baton_orig" ] || set -- "$baton_orig" "$@"
      shift
      baton_records=''
      for baton_p in "$@"; do baton_records="$baton_records$baton_p tip
"; done
      [ -z "$baton_task" ] || baton_records="$baton_records$baton_sha $baton_task
"
    else
      baton_records="$baton_sha tip
"
    fi
  fi
  [ -d "$baton_q" ] || mkdir -p "$baton_q" || return 1
  # A merge into a branch that is not a task's (an octopus, a pull, a fast-forward)
  # brings task files whose status plan.md's table does not show yet (task
  # branches never write the table): the next baton command rebuilds it.
  [ "$baton_mode" != merge ] || [ -n "$baton_id" ] || : > "$baton_q/plan-stale"
  [ -n "$baton_records" ] || return 0
  printf '%s' "$baton_records" >> "$baton_q/queue-$baton_key" || return 1
  # `git commit <paths>` commits from a temporary index: re-stage what pre-commit
  # wrote into the real one, or the memory file would show as changed.
  if [ -r "$baton_q/restage" ]; then
    baton_restage=''
    while IFS= read -r baton_line; do baton_restage="$baton_restage $baton_line"; done < "$baton_q/restage"
    rm -f "$baton_q/restage"
    git add -- $baton_restage
  fi
}

baton_post_rewrite() {
  baton_setup || return 1
  [ -n "$baton_br" ] || return 0
  [ -d "$baton_q" ] || mkdir -p "$baton_q" || return 1
  while read -r baton_old baton_new baton_extra; do
    [ -n "$baton_new" ] && printf '%s %s\n' "$baton_old" "$baton_new"
  done >> "$baton_q/rewrites-$baton_key"
}

# The lock on one memory file, shared with Node (withLock in src/store/atomic.ts):
# a file created with O_EXCL (sh's noclobber `>`, a builtin; Node's `wx`) in
# the worktree's git dir, removed by its holder. Whoever holds it reads and
# writes the memory file; so an append never lands between a Node flush's read
# and its rename (which lost the entry). Node removes one left by a dead holder.
baton_lock() {
  baton_tries=0
  while :; do
    set -C
    # `true`, not `:`: a failed redirection of a special builtin ends the shell.
    if { true > "$1"; } 2>/dev/null; then set +C; return 0; fi
    set +C
    baton_tries=$((baton_tries + 1))
    # A lock over a minute old was left by a holder that died (Node gives up on one after 30 s).
    if [ "$baton_tries" = 1 ] && [ -n "$(find "$1" -mmin +1 2>/dev/null)" ]; then rm -f "$1"; continue; fi
    [ "$baton_tries" -lt 100 ] || { echo "memory file is locked ($1)" >&2; return 1; }
    sleep 0.1 2>/dev/null || sleep 1
  done
}

# Queued commits that are no longer in HEAD's history (a `git reset`, an aborted
# rebase, a dropped pick) are news of nothing: they are left out. The usual
# record is HEAD itself, known without a process.
baton_reachable() {
  baton_head_sha || return 1
  baton_kept=''
  for baton_word in $baton_lines; do
    case $baton_word in
      T-*|project|tip)
        [ -n "$baton_cur" ] && baton_kept="$baton_kept$baton_cur $baton_word
"
        continue ;;
    esac
    baton_cur=''
    if [ "$baton_word" = "$baton_sha" ] || git merge-base --is-ancestor "$baton_word" "$baton_sha" 2>/dev/null; then
      baton_cur=$baton_word
    fi
  done
  baton_lines=$baton_kept
}

# The title a new memory file starts with, with `\n` for newlines (printf and
# awk -v read them). Node's memoryHeader writes the same (test/faults-formats).
baton_header() {
  if [ "$1" = project ]; then
    baton_fresh='# Memory: project\n\nDecisions from reviews and commits made off task branches. Append-only; baton adds entries below.'
  else
    baton_fresh="# Memory: $1\\n\\nAppend-only log of attempts, commits, results, bugs and decisions for this task."
  fi
}

# The tasks whose memory file is missing, in `baton_missing` (builtins only); false when none.
baton_missing_memory() {
  baton_missing=''
  for baton_f in .agents/tasks/T-*.md; do
    baton_rest=${baton_f#.agents/tasks/T-}
    baton_hex=${baton_rest%%[!0-9a-f]*}
    case $baton_rest in "$baton_hex"-*|"$baton_hex".md) ;; *) continue ;; esac
    [ -n "$baton_hex" ] && [ -f "$baton_f" ] || continue
    [ -e ".agents/memory/T-$baton_hex.md" ] || baton_missing="$baton_missing T-$baton_hex"
  done
  [ -n "$baton_missing" ]
}

# Every task has its memory file from the commit that adds the task (its title
# only): entries are then only ever appended to a file that exists wherever
# the task does, so a commit replayed by a rebase or a cherry-pick onto another
# task's branch meets a file, not a deletion (a modify/delete conflict).
baton_ensure_memory() {
  baton_new=''
  baton_missing_memory || return 0
  for baton_t in $baton_missing; do
    baton_file=.agents/memory/$baton_t.md
    [ -d .agents/memory ] || mkdir -p .agents/memory || return 1
    baton_header "$baton_t"
    printf "$baton_fresh\n" > "$baton_file" || return 1
    baton_new="$baton_new $baton_file"
    baton_pend="${baton_pend}made $baton_file
"
  done
  [ -n "$baton_new" ] || return 0
  git add -- $baton_new || return 1
  case ${GIT_INDEX_FILE:-} in *next-index*) mkdir -p "$baton_q" && printf '%s\n' "$baton_new" >> "$baton_q/restage" ;; esac
}

# pre-commit: write the queued records of this branch into memory and stage them.
baton_pre_commit() {
  baton_setup || return 1
  # A commit is under way (its message editor may be open for minutes): git's pid, for
  # `baton done` to wait for it rather than move the branch under it. post-commit empties it.
  { printf '%s\n' "$PPID" > "$baton_q/committing"; } 2>/dev/null || :
  [ -n "$baton_br" ] || return 0
  # A commit stopped after this hook last ran (post-commit never came): undo that first.
  if [ -s "$baton_q/pending" ]; then
    . "$baton_pkg/hooks/aborted-commit.sh" && baton_undo_pending || return 1
  fi
  # Nothing staged and no merge to conclude: git stops ("nothing to commit") once
  # this hook returns, and what it staged would stay behind. The records wait for
  # the next commit (so do those of `--allow-empty` and of a reword by `--amend`).
  ! baton_nothing_staged || return 0
  baton_pend=''
  baton_ensure_memory || return 1
  if [ -s "$baton_q/rewrites-$baton_key" ]; then
    "$baton_node" "$baton_pkg/dist/bin.js" hooks flush --stage >/dev/null
    return
  fi
  baton_queue=$baton_q/queue-$baton_key
  baton_lines=''
  if [ -s "$baton_queue" ]; then
    # Read and empty the queue with builtins (a commit costs ~4 ms; every exec counts).
    while IFS= read -r baton_line; do baton_lines="$baton_lines$baton_line
"; done < "$baton_queue"
    : > "$baton_queue"
    baton_cur=''
    baton_reachable || { printf '%s' "$baton_lines" >> "$baton_queue"; return 1; }
  fi
  baton_taken=$baton_lines
  # Committing a merge (`git merge --no-commit`, a resolved conflict, `baton done
  # --merge`): the tips merged in go into this commit, routed by their trailer.
  if [ -r "$baton_gd/MERGE_HEAD" ]; then
    while read -r baton_line baton_rest; do
      [ -n "$baton_line" ] && baton_lines="$baton_lines$baton_line tip
"
    done < "$baton_gd/MERGE_HEAD"
  fi
  [ -n "$baton_lines" ] || { baton_pending; return; }
  if baton_write_queued; then
    # Commits whose trailer names another task, set aside by format-entries.awk.
    [ -s "$baton_q/elsewhere" ] || { baton_pending; return; }
    baton_lines=''
    while IFS= read -r baton_line; do baton_lines="$baton_lines$baton_line
"; done < "$baton_q/elsewhere"
    : > "$baton_q/elsewhere"
    baton_taken=$baton_taken$baton_lines
    baton_write_queued && { baton_pending; return; }
  fi
  printf '%s' "$baton_lines" >> "$baton_queue"
  return 1
}

# True when nothing is staged: git is about to stop ("nothing to commit"), and
# whatever this hook staged would stay behind (git decides from the index as it
# was before the hook, and runs no hook after). First told with builtins: git is
# committing the index itself, no newer than the mark post-commit left, and HEAD
# is still the commit that mark names. The index is often rewritten with nothing
# staged (`git add -A` with no change, git's own refresh of racy entries), so
# where that cannot tell and there is something to write, git is asked
# (`diff-index`, one process); a commit -a or of paths asks it of its own index.
baton_nothing_staged() {
  [ -r "$baton_gd/MERGE_HEAD" ] && return 1
  baton_index_unchanged && return 0
  [ -s "$baton_q/queue-$baton_key" ] || [ -s "$baton_q/rewrites-$baton_key" ] || baton_missing_memory || return 1
  git diff-index --cached --quiet HEAD -- 2>/dev/null
}

baton_index_unchanged() {
  [ -n "${GIT_INDEX_FILE:-}" ] && [ "$GIT_INDEX_FILE" -ef "$baton_gd/index" ] || return 1
  [ -r "$baton_q/index-mark" ] && ! [ "$GIT_INDEX_FILE" -nt "$baton_q/index-mark" ] || return 1
  IFS= read -r baton_mark < "$baton_q/index-mark" || return 1
  baton_head_sha && [ "$baton_mark" = "$baton_sha" ]
}

# What this pre-commit did, for an aborted commit to be undone (aborted-commit.sh).
baton_pending() {
  [ -n "$baton_pend" ] || return 0
  baton_head_sha || return 1
  printf 'head %s\nqueue %s\n%s%s' "$baton_sha" "${baton_queue:-}" "${baton_taken:-}" "$baton_pend" > "$baton_q/pending"
}

baton_write_queued() {
  # Off task branches, a merged tip with no `Task:` trailer is news here: its entry
  # waits in its own branch's queue, which no commit will read (a plain `--no-ff`
  # merge of a feature branch). It goes in project.md; one with a trailer still
  # goes to its task (format-entries.awk sets it aside, as for any commit).
  if [ -z "$baton_id" ] && [ "$baton_offtask" = true ]; then
    case $baton_lines in *' tip
'*)
      baton_conv=''
      set -- $baton_lines
      while [ $# -ge 2 ]; do
        if [ "$2" = tip ]; then baton_conv="$baton_conv$1 project
"; else baton_conv="$baton_conv$1 $2
"; fi
        shift 2
      done
      baton_lines=$baton_conv ;;
    esac
  fi
  baton_tasks=''
  for baton_word in $baton_lines; do
    case $baton_word in
      T-*|project) case " $baton_tasks " in *" $baton_word "*) ;; *) baton_tasks="$baton_tasks $baton_word" ;; esac ;;
    esac
  done
  # Merged tips: only those whose `Task:` trailer names a task, set aside for it.
  case $baton_lines in *' tip
'*)
    printf '%s' "$baton_lines" | while read -r baton_sha baton_t; do [ "$baton_t" = tip ] && echo "$baton_sha"; done \
      | baton_log | awk -v task=tip -v elsewhere="$baton_q/elsewhere" -f "$baton_pkg/hooks/format-entries.awk" >/dev/null \
      || return 1 ;;
  esac
  baton_staged=''
  for baton_task in $baton_tasks; do
    baton_file=.agents/memory/$baton_task.md
    [ -d .agents/memory ] || mkdir -p .agents/memory || return 1
    baton_header "$baton_task"
    baton_lock "$baton_q/memory-$baton_task.lock" || return 1
    [ -e "$baton_file" ] && baton_src=$baton_file || baton_src=/dev/null
    [ "$baton_src" = /dev/null ] && baton_made=1 || baton_made=0
    # This task's SHAs, picked with builtins and handed over in a here-document
    # (no process for it, where a `printf | while` pipeline cost two).
    baton_pick=''
    set -- $baton_lines
    while [ $# -ge 2 ]; do
      [ "$2" = "$baton_task" ] && baton_pick="$baton_pick${baton_pick:+
}$1"
      shift 2
    done
    # Appended in one write(): the file is never rewritten here, only grown.
    baton_log <<EOF | awk -v shapes="$baton_pkg/hooks/secret-shapes.txt" -v memfile="$baton_src" -v header="$baton_fresh" \
        -v task="$baton_task" -v elsewhere="$baton_q/elsewhere" -v appended="$baton_q/appended-$baton_task" \
        -f "$baton_pkg/hooks/format-entries.awk" >> "$baton_file"
$baton_pick
EOF
    baton_rc=$?
    rm -f "$baton_q/memory-$baton_task.lock"
    [ "$baton_rc" = 0 ] || return 1
    baton_staged="$baton_staged $baton_file"
    # Its index entry before this hook is not known (no git process asked): `unknown`.
    baton_pend="${baton_pend}file $baton_file $baton_made $baton_task unknown
"
  done
  [ -n "$baton_staged" ] || return 0
  git add -- $baton_staged || return 1
  case ${GIT_INDEX_FILE:-} in *next-index*) printf '%s\n' "$baton_staged" >> "$baton_q/restage" ;; esac
}

# Run the hook that was here before baton, as if git had run it from here
# (husky's stubs find their scripts from their own path, `$0`).
baton_chained() {
  [ -n "$baton_chain" ] && [ -x "$baton_chain" ] || return 0
  baton_shebang=''
  IFS= read -r baton_shebang < "$baton_chain" || :
  case $baton_shebang in
    '#!'*bash*) BATON_ORIG=$baton_chain bash -c '. "$BATON_ORIG"' "$baton_self" "$@" ;;
    '#!'*zsh*) BATON_ORIG=$baton_chain zsh -c '. "$BATON_ORIG"' "$baton_self" "$@" ;;
    '#!'*sh|'#!'*sh' '*) BATON_ORIG=$baton_chain sh -c '. "$BATON_ORIG"' "$baton_self" "$@" ;;
    *) "$baton_chain" "$@" ;;
  esac
}

# baton's own part: skipped with BATON_HOOKS=0 and outside a baton project; any
# failure becomes one line on stderr, never a failed commit.
baton_safe() {
  [ "${BATON_HOOKS:-1}" != 0 ] || return 0
  [ -d .agents ] || return 0
  # One subshell (the command substitution): whatever fails in it, even an `exit`,
  # ends there and not in the hook. A second `( )` inside cost a fork per hook.
  baton_err=$(baton_run_"$@" 2>&1 >/dev/null) && return 0
  baton_err=$(printf '%s\n' "$baton_err" | sed -n '/./{p;q;}')
  echo "baton: $baton_name hook skipped (${baton_err:-failed}); the commit is fine, \`baton doctor\` finds what is missing" >&2
  return 0
}

baton_run_pre_commit() { baton_pre_commit; }
baton_run_commit_msg() { baton_commit_msg "$@"; }
baton_run_undo_commit() {
  baton_setup || return 1
  [ -s "$baton_q/pending" ] || return 0
  . "$baton_pkg/hooks/aborted-commit.sh" && baton_undo_pending
}
baton_run_post_commit() { baton_record commit; }
baton_run_post_merge() { baton_record merge; }
baton_run_post_rewrite() { baton_post_rewrite; }

# The entry point of every stub: `baton_hook <name> "$0" "$@"`.
baton_hook() {
  baton_name=$1 baton_self=$2
  shift 2
  case $baton_name in
    pre-commit)
      baton_chained "$@" || exit $?
      baton_safe pre_commit; exit 0 ;;
    commit-msg)
      # The hook that was here says no: the commit stops, so what pre-commit staged goes back.
      baton_chained "$@" || { baton_rc=$?; baton_safe undo_commit; exit $baton_rc; }
      baton_safe commit_msg "$@"; exit 0 ;;
    post-rewrite)
      baton_stdin=$(cat)
      printf '%s\n' "$baton_stdin" | baton_safe post_rewrite
      printf '%s\n' "$baton_stdin" | baton_chained "$@"; exit $? ;;
    post-commit)
      baton_safe post_commit; baton_chained "$@"; exit $? ;;
    post-merge)
      baton_safe post_merge; baton_chained "$@"; exit $? ;;
  esac
  exit 0
}

# A commit that stops after baton's pre-commit hook wrote and staged memory
# (an empty message, a commit-msg hook that says no, an editor that fails) must
# leave the memory file and the index as they were: git runs no hook after it
# gives up. So pre-commit notes what it did in `$baton_q/pending` (HEAD, the
# queue it read, the records, and per file, from format-entries.awk, the exact
# text appended); post-commit empties it. Undone
# by commit-msg when the commit is sure to stop, else by the next pre-commit.
# Sourced from baton.sh only then (rare), so it costs a commit nothing.
#
# pending, one record a line:
#   head <sha>                     HEAD when pre-commit ran
#   queue <file>                   where the records go back
#   <sha> <task|project|tip>       a record the pre-commit took from the queue
#   file <path> <new> <task> <x>   a memory file it appended to (new: 1 if it
#                                  created it); x: its index entry before. The
#                                  hook writes `unknown` (it asks git nothing):
#                                  the file is staged as it is once cut back.
#                                  `head`, `gone` and `<mode>,<sha>` are read
#                                  from records older hooks wrote.
#   made <path>                    a memory file ensure_memory created

# Put the memory files and the index back, and the records in the queue.
baton_undo_pending() {
  baton_pending=$baton_q/pending
  [ -s "$baton_pending" ] || return 0
  baton_was='' baton_back='' baton_records='' baton_files=''
  while IFS= read -r baton_line; do
    case $baton_line in
      'head '*) baton_was=${baton_line#head } ;;
      'queue '*) baton_back=${baton_line#queue } ;;
      'file '*|'made '*) baton_files="$baton_files$baton_line
" ;;
      ?*) baton_records="$baton_records$baton_line
" ;;
    esac
  done < "$baton_pending"
  : > "$baton_pending"
  # Files and index only where nothing moved since (a checkout, a reset): the
  # records alone go back, and the flush skips entries a file already holds.
  baton_head_sha || return 1
  if [ "$baton_sha" = "$baton_was" ]; then
    printf '%s' "$baton_files" | while read -r baton_kind baton_f baton_new baton_t baton_x; do
      if [ "$baton_kind" = made ]; then
        # Gone again only while it holds nothing but the title it was made with.
        baton_t=${baton_f##*/}
        baton_header "${baton_t%.md}"
        printf "$baton_fresh\n" | cmp -s - "$baton_f" || continue
        git rm -q --cached --ignore-unmatch -- "$baton_f" && rm -f -- "$baton_f"
        continue
      fi
      baton_undo_file "$baton_f" "$baton_new" "$baton_q/appended-$baton_t" "$baton_x" || exit 1
    done || return 1
  fi
  rm -f "$baton_q/restage"
  [ -n "$baton_records" ] && [ -n "$baton_back" ] || return 0
  # Back at the front of the queue: they are older than anything queued since.
  baton_later=''
  [ -r "$baton_back" ] && while IFS= read -r baton_line; do baton_later="$baton_later$baton_line
"; done < "$baton_back"
  printf '%s%s' "$baton_records" "$baton_later" > "$baton_back"
}

# One file: cut what was appended (when the file still ends with it), then its index entry.
baton_undo_file() {
  [ -f "$1" ] || return 0
  baton_added=0
  if [ -s "$3" ]; then baton_added=$(wc -c < "$3") || return 1; fi
  if [ "$baton_added" -gt 0 ]; then
    baton_all=$(wc -c < "$1") || return 1
    [ "$baton_all" -ge "$baton_added" ] && tail -c "$baton_added" "$1" | cmp -s - "$3" || return 0
    if [ "$2" = 1 ] && [ "$baton_all" -eq "$baton_added" ]; then
      rm -f -- "$1"
    else
      head -c "$((baton_all - baton_added))" "$1" > "$3.cut" && cat "$3.cut" > "$1" && rm -f "$3.cut" || return 1
    fi
  fi
  rm -f "$3"
  case $4 in
    head) git reset -q -- "$1" ;;
    gone) git update-index --force-remove -- "$1" ;;
    unknown) if [ -e "$1" ]; then git add -- "$1"; else git rm -q --cached --ignore-unmatch -- "$1"; fi ;;
    *) git update-index --cacheinfo "$4,$1" ;;
  esac
}

# True when git will stop for an empty message (it asks for one): nothing but
# blank lines, Signed-off-by lines and, when an editor was used (git sets
# GIT_EDITOR=: for hooks when none is), comments and what follows the scissors
# line. Where settings make this unsure (commit.cleanup, core.commentChar),
# false: a commit that goes ahead must keep what pre-commit staged.
baton_message_empty() {
  while IFS= read -r baton_line || [ -n "$baton_line" ]; do
    case $baton_line in
      *[![:space:]]*) ;;
      *) continue ;;
    esac
    case $baton_line in
      'Signed-off-by: '*) continue ;;
      '# '*' >8 '*) [ "${GIT_EDITOR:-}" != : ] && break ;;
      '#'*) [ "${GIT_EDITOR:-}" != : ] && continue ;;
    esac
    return 1
  done < "$1"
  ! git config --get-regexp '^(commit\.cleanup|core\.commentchar)$' >/dev/null 2>&1
}

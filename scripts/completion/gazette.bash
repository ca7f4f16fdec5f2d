# bash completion for gazette(1)
_gazette() {
  local cur prev
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD-1]}
  case $prev in
    -f|--format) COMPREPLY=($(compgen -W "epub pdf" -- "$cur")); return ;;
    -g|--group-by) COMPREPLY=($(compgen -W "day week month year all" -- "$cur")); return ;;
    --date-order) COMPREPLY=($(compgen -W "dmy mdy ymd" -- "$cur")); return ;;
    --input-format) COMPREPLY=($(compgen -W "auto json jsonl text csv tsv feed markdown html" -- "$cur")); return ;;
    --align) COMPREPLY=($(compgen -W "justify left first-fit" -- "$cur")); return ;;
    --page-size) COMPREPLY=($(compgen -W "a4 letter a5" -- "$cur")); return ;;
    --columns) COMPREPLY=($(compgen -W "1 2" -- "$cur")); return ;;
    --since|--until) COMPREPLY=($(compgen -W "today yesterday -7d -2w -1m -1y" -- "$cur")); return ;;
    --tz)
      local zones
      zones=$(cd /usr/share/zoneinfo 2>/dev/null && find . -type f ! -name '*.tab' ! -name '*.zi' \
        2>/dev/null | sed 's|^\./||' | grep -v '^posix/\|^right/')
      COMPREPLY=($(compgen -W "$zones" -- "$cur")); return ;;
    -o|--output|--new-since) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --image-cache) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --font) COMPREPLY=($(compgen -f -X '!*.@(ttf|ttc|TTF|TTC)' -- "$cur")); return ;;
    -t|--title|--author|--lang|-j|--jobs|--deflate-level|--image-max|--max-*) return ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "--align --allow-private-hosts --author --columns --date-order --deflate-level
      --fetch-images --field --font --format --grayscale-images --group-by --help --image-cache
      --image-max --input-format --jobs --json --keep-chrome --lang --list --max-article-size
      --max-articles --max-html-depth --max-json-depth --max-line --new-since --newest-first
      --no-dedupe --no-hyphenate --no-images --output --page-size --pdfa --quiet --since --split --strict
      --title --tz --until --version" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -o bashdefault -F _gazette gazette

# Sourced by bench scripts that launch one of bench/'s single-file Java programs more than once:
# `java bench/X.java` compiles the source again at every launch (3-6 s of CPU on this box, beside
# whatever is being measured), so a script compiles it once and launches the classes.
# bench_compile NAME CLASSPATH: compiles bench/NAME.java against CLASSPATH into
# target/bench-classes/NAME (emptied first) and prints that directory.
bench_compile() {
  local dir=target/bench-classes/$1
  rm -rf "$dir" && mkdir -p "$dir" && javac -nowarn -proc:none -d "$dir" -cp "$2" "bench/$1.java" >&2 && echo "$dir"
}

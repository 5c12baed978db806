#!/usr/bin/env bash
# Runs sqlite-jdbc's own JDBC tests twice: against the raw driver (jdbc:sqlite:) and through
# jdbc-sync (jdbc:sync:sqlite:), then prints pass/fail counts for both and the tests that fail
# only through jdbc-sync. Their sources are never copied into this project: they are read from a
# checkout given with --tests and compiled in a scratch project under integration-tests/target/.
# See README.md next to this script.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

usage() {
  cat <<USAGE
usage: $0 --tests DIR [--classes "StatementTest ..."] [--driver-jar JAR] [--offline]
  --tests DIR    a sqlite-jdbc source checkout (holding src/test/java/org/sqlite), or a directory
                 holding the test .java files themselves
  --classes LIST test classes to run (default: the JDBC-behaviour classes, those present)
  --driver-jar J the jdbc-sync jar to test (default: driver/target/jdbc-sync-driver-*-standalone.jar)
  --offline      run Maven with -o
USAGE
  exit 2
}

tests=""
jar=""
# The JDBC-behaviour classes; tests of sqlite-jdbc's internals (native loading, extensions,
# OSInfo, backup/serialize, its date formatter) are left out.
classes="StatementTest PrepStmtTest TransactionTest ResultSetTest DBMetaDataTest SavepointTest
  UDFTest UDFCustomErrorTest CollationTest ConnectionTest BatchTest QueryTest RSMetaDataTest
  InsertQueryTest JDBCTest TypeMapTest FetchSizeTest GetMoreResultsCloseTest
  ResultSetWithoutResultsTest DateTimeTest ErrorMessageTest ReadUncommittedTest"
# Helpers some test classes use; copied when present, never counted.
helpers="Utils"
offline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tests) tests="$2"; shift 2 ;;
    --classes) classes="$2"; shift 2 ;;
    --driver-jar) jar="$2"; shift 2 ;;
    --offline) offline="-o"; shift ;;
    *) usage ;;
  esac
done
[ -n "$tests" ] || usage
if [ -d "$tests/src/test/java/org/sqlite" ]; then src="$tests/src/test/java/org/sqlite"; else src="$tests"; fi
[ -d "$src" ] || { echo "no test sources in $tests" >&2; exit 2; }

sqlite_version="$(sed -n 's:.*<sqlite.version>\(.*\)</sqlite.version>.*:\1:p' "$root/pom.xml")"
[ -n "$jar" ] || jar="$(ls "$root"/driver/target/jdbc-sync-driver-*-standalone.jar 2>/dev/null | head -1 || true)"
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "no driver jar: run 'mvn -B -pl driver package -DskipTests' first" >&2
  exit 2
fi
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")" # Maven's systemPath must be absolute
work="$root/integration-tests/target/peer-sqlite-jdbc"
rm -rf "$work"

# The scratch project: versions pinned; JUnit 4 tests (older checkouts) run on the vintage engine.
write_pom() { # dir, extra dependency xml
  cat > "$1/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.jdbcsync.peer</groupId>
  <artifactId>sqlite-jdbc-tests-$(basename "$1")</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>17</maven.compiler.release>
  </properties>
  <dependencies>
    <dependency><groupId>org.xerial</groupId><artifactId>sqlite-jdbc</artifactId><version>$sqlite_version</version></dependency>
    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>5.14.1</version><scope>test</scope></dependency>
    <dependency><groupId>org.junit.vintage</groupId><artifactId>junit-vintage-engine</artifactId><version>5.14.1</version><scope>test</scope></dependency>
    <dependency><groupId>junit</groupId><artifactId>junit</artifactId><version>4.13.2</version><scope>test</scope></dependency>
    <dependency><groupId>org.assertj</groupId><artifactId>assertj-core</artifactId><version>3.27.6</version><scope>test</scope></dependency>
$2
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.14.0</version>
        <configuration><compilerArgs><arg>-nowarn</arg></compilerArgs></configuration></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.5.4</version>
        <configuration>
          <testFailureIgnore>true</testFailureIgnore>
          <forkedProcessTimeoutInSeconds>900</forkedProcessTimeoutInSeconds>
          <trimStackTrace>true</trimStackTrace>
        </configuration></plugin>
    </plugins>
  </build>
</project>
POM
}

copy_tests() { # dir
  local dest="$1/src/test/java/org/sqlite" n=0
  mkdir -p "$dest"
  for c in $classes $helpers; do
    if [ -f "$src/$c.java" ]; then cp "$src/$c.java" "$dest/"; n=$((n + 1)); fi
  done
  [ "$n" -gt 0 ] || { echo "none of the classes found in $src" >&2; exit 2; }
  # Test data some classes read (sample databases); in a checkout it is next to the sources.
  if [ -d "$tests/src/test/resources" ]; then
    mkdir -p "$1/src/test/resources" && cp -r "$tests/src/test/resources/." "$1/src/test/resources/"
  fi
}

mkdir -p "$work/raw" "$work/sync"
write_pom "$work/raw" ""
write_pom "$work/sync" "    <dependency><groupId>io.jdbcsync</groupId><artifactId>jdbc-sync-driver-standalone</artifactId><version>local</version><scope>system</scope><systemPath>$jar</systemPath></dependency>"
copy_tests "$work/raw"
copy_tests "$work/sync"

# Through the driver: the URL changes, and what needs sqlite-jdbc's own connection class gets it
# through unwrap (the driver's connection is not a SQLiteConnection; unwrap gives the inner one):
# casts, and Function/Collation registration, which checks `instanceof SQLiteConnection`.
for f in "$work"/sync/src/test/java/org/sqlite/*.java; do
  perl -0pi -e '
    s/jdbc:sqlite:/jdbc:sync:sqlite:/g;
    s/\(\s*(SQLiteConnection)\s*\)\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:\(\))?)/($2).unwrap($1.class)/g;
    s/\b(Function|Collation)\.(create|destroy)\(\s*([A-Za-z_]\w*)\s*,/$1.$2($3.unwrap(SQLiteConnection.class),/g;
  ' "$f"
done

echo "sqlite-jdbc $sqlite_version; driver $jar"
echo "classes: $(ls "$work/raw/src/test/java/org/sqlite" | sed 's/\.java$//' | tr '\n' ' ')"
for side in raw sync; do
  echo "== running $side"
  (cd "$work/$side" && mvn -B $offline test -Dsurefire.printSummary=false > "$work/$side.log" 2>&1) || {
    echo "maven failed for $side; see $work/$side.log" >&2; tail -30 "$work/$side.log" >&2; exit 1; }
done

python3 - "$work" <<'PY'
import glob, os, sys
import xml.etree.ElementTree as ET
work = sys.argv[1]
def results(side):
    out = {}
    for f in glob.glob(os.path.join(work, side, "target/surefire-reports/TEST-*.xml")):
        for tc in ET.parse(f).getroot().iter("testcase"):
            name = tc.get("classname", "").split(".")[-1] + "#" + tc.get("name", "")
            if tc.find("skipped") is not None:
                out[name] = "skipped"
            elif tc.find("failure") is not None or tc.find("error") is not None:
                node = tc.find("failure") if tc.find("failure") is not None else tc.find("error")
                msg = (node.get("message") or node.get("type") or "").strip().splitlines()
                out[name] = "failed: " + (msg[0][:160] if msg else "")
            else:
                out[name] = "passed"
    return out
raw, sync = results("raw"), results("sync")
for side, r in (("raw", raw), ("jdbc-sync", sync)):
    p = sum(v == "passed" for v in r.values()); s = sum(v == "skipped" for v in r.values())
    print(f"{side:10} tests {len(r):4}  passed {p:4}  failed {len(r) - p - s:4}  skipped {s:3}")
only = sorted(n for n, v in sync.items() if v.startswith("failed") and raw.get(n) == "passed")
print(f"failing only through jdbc-sync: {len(only)}")
for n in only:
    print(f"  {n}  {sync[n]}")
both = sorted(n for n, v in sync.items() if v.startswith("failed") and raw.get(n, "").startswith("failed"))
if both:
    print(f"failing in both (not counted against the driver): {len(both)}")
    for n in both:
        print(f"  {n}")
PY

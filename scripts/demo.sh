#!/bin/sh
# The IIJ group on both sides of its two reorganisations, from the bundled data.
set -eu
out=${1:-out}
run() { echo; echo "\$ groupkg $*"; groupkg "$@"; }

run info
echo; echo "== The 2010 absorption of IIJ Technology and IIJ Financial Systems (effective 2010-04-01)"
run holdings IIJ --at 2010-03-31
run paths "IIJ Technology" --at 2010-03-31
run diff --before 2010-03-31 --after 2010-04-01 --root IIJ
echo; echo "== The 2014 absorption of IIJ Exlayer; IIJ America and IIJ Exlayer USA (effective 2014-01-01)"
run owners "IIJ Exlayer" --at 2013-12-31
run owners "IIJ Exlayer" --at 2014-01-01 || true
run paths "IIJ Exlayer USA" --at 2013-12-31
run paths "IIJ America" --at 2014-01-01
run diff --before 2013-12-31 --after 2014-01-01 --root IIJ
echo; echo "== Shareholders and look-through ownership"
run owners IIJ --at 2013-12-31
run effective "Koichi Suzuki" IIJ --at 2013-12-31
run entity IIJ --at 2013-12-31
run events --entity IIJ
echo; echo "== Pictures (self-contained HTML, open in any browser)"
run render --before 2010-03-31 --after 2010-04-01 --root IIJ -o "$out/iij-2010-04-01.html"
run render --before 2013-12-31 --after 2014-01-01 --root IIJ -o "$out/iij-2014-01-01.html"
run render --at 2013-12-31 --path "IIJ Exlayer USA" -o "$out/iij-exlayer-usa-paths.html"
run render --timeline --root IIJ -o "$out/iij-timeline.html"
echo; echo "Views written to $out/"

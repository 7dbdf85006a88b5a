#!/usr/bin/env bash
# The network from the shell (docs/network.md): the system with its
# network server on QEMU's user network, a port forward from the host's
# 127.0.0.1 to the guest's port 80, and an HTTP server on the host's
# 127.0.0.1, which the guest reaches as 10.0.2.2.  Typed at the shell:
# ifconfig, ping of the gateway, wget of a 4 MiB file from the host
# (its cksum must be the host's), nc to the host's server (a port scan
# and a HEAD by hand), and httpd serving it; meanwhile the
# host fetches it back with curl (the same bytes, Content-Length, a 404),
# floods the server (net-flood.py: silent connections held open,
# garbage, resets midway) and fetches it again while the flood's
# connections are still open; then a name from apt's sources is looked
# up (ping prints its address), and halt.
cd "$(dirname "$0")/../.." && . tests/boot/common.sh

INET=${INET:-build/servers/inet/inet}
NET=${NET:-build/servers/net/net}
work=build/test-net
[ -n "$KEEP" ] || rm -rf "$work"
mkdir -p "$work/www"
head -c 4194304 /dev/urandom >"$work/www/big"
sum=$(cksum <"$work/www/big" | cut -d' ' -f1)
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
http_port=$(free_port)
forward_port=$(free_port)
python3 -m http.server --bind 127.0.0.1 --directory "$work/www" "$http_port" \
	>"$work/http.log" 2>&1 &
http_server=$!
trap 'kill $http_server $host_side 2>/dev/null' EXIT

# A name the host resolves: the package archive's, from apt's own sources.
name=$(sed -nE 's#^(URIs:|deb)[[:space:]]+https?://([^/[:space:]]+).*#\2#p' \
	/etc/apt/sources.list /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)
address=$(getent ahostsv4 "$name" 2>/dev/null | awk '{ print $1; exit }')

disk=$(test_disk network build/root.img)
log=build/test-logs/network_shell.log
raw=$log.raw
rm -f "$raw"

# Waits (at most $2 seconds) until the guest's output has a line matching $1.
wait_for() {
	for _ in $(seq $(($2 * 5))); do
		[ -f "$raw" ] && tr -d '\r' <"$raw" | grep -qE -- "$1" && return 0
		sleep 0.2
	done
	return 1
}

check() {  # NAME CONDITION...
	local name=$1
	shift
	if "$@"; then
		echo "ok - network: $name"
	else
		echo "not ok - network: $name"
		failed=1
	fi
}

fetch_matches() {  # PATH: curl gets the big file, byte for byte
	curl -s -m 120 -o "$work/got" "http://127.0.0.1:$forward_port$1" &&
		cmp -s "$work/got" "$work/www/big"
}

# The host's side, while the guest serves: its results in $work/host.tap.
host_side() {
	wait_for "httpd: serving" 400 || { echo "not ok - network: httpd_started"; return; }
	check curl_fetches_4_mib_from_the_guests_httpd fetch_matches /big
	check content_length_is_the_files_size \
		grep -qi "^Content-Length: 4194304" <(curl -s -m 30 -D - -o /dev/null \
			"http://127.0.0.1:$forward_port/big" | tr -d '\r')
	check a_missing_file_is_404 test "$(curl -s -m 30 -o /dev/null -w '%{http_code}' \
		"http://127.0.0.1:$forward_port/no-such-file")" = 404
	coproc flood { timeout 120 python3 tests/boot/net-flood.py "$forward_port"; }
	read -r -t 100 line <&"${flood[0]}"
	echo "# $line"
	check the_server_serves_while_the_flood_holds_its_connections fetch_matches /big
	echo >&"${flood[1]}"
	wait "$flood_PID"
	check the_server_serves_after_the_flood fetch_matches /big
	curl -s -m 30 -o /dev/null "http://127.0.0.1:$forward_port/after-the-flood"
}
host_side >"$work/host.tap" 2>&1 &
host_side=$!

boot network_shell --module "$BOOTSTRAP" --module "$CONSOLE devices" --module "$BLK devices" \
	--module "$NET devices" --module "$EXT2FS" --module "$PROC" --module "$EMUL init=/bin/init" \
	--module "$INET" --timeout 420 --memory 256 \
	--qemu -drive --qemu "file=$disk,if=none,id=d0,format=raw" \
	--qemu -device --qemu virtio-blk-pci,drive=d0 \
	--qemu -netdev --qemu "user,id=n0,hostfwd=tcp:127.0.0.1:$forward_port-:80" \
	--qemu -device --qemu virtio-net-pci,netdev=n0 \
	--type-after "inet: eth0: 10" 'ifconfig eth0; ping -c 2 10.0.2.2\r' \
	--type-after "packet loss" "wget -O /tmp/big http://10.0.2.2:$http_port/big; cksum /tmp/big\\r" \
	--type-after " 4194304 /tmp/big" \
		"nc -z 10.0.2.2 $http_port && printf 'HEAD /big HTTP/1.0\\\\r\\\\n\\\\r\\\\n' | nc 10.0.2.2 $http_port | head -n 1\\r" \
	--type-after "^HTTP/1.0 200" 'httpd -p 80 -r /tmp &\r' \
	--type-after "/after-the-flood" "kill \$!; ping -c 1 -W 1000 ${name:-localhost}; echo net-done\\r" \
	--type-after "^net-done" 'halt\r' \
	--expect "^eth0: flags=.*<UP,LINK,DHCP>" \
	--expect "^ +inet 10\.0\.2\.15 +netmask 255\.255\.255\.0 +gateway 10\.0\.2\.2" \
	--expect "^2 packets transmitted, 2 received" \
	--expect "^$sum 4194304 /tmp/big" \
	--expect "inet: eth0: 10\.0\.2\.15/24, gateway 10\.0\.2\.2 \(DHCP\)" \
	--reject "panic" --reject "inet: .*(assertion|stopped)"
wait "$host_side"
cat "$work/host.tap"
grep -q "^not ok" "$work/host.tap" && failed=1
if [ -n "$address" ]; then
	check a_name_resolves_as_the_host_resolves_it \
		grep -qF "PING $name ($address)" <(tr -d '\r' <"$log")
else
	echo "ok - network: a_name_resolves_as_the_host_resolves_it # SKIP the host resolves no name from apt's sources"
fi
disk_clean "network_host: e2fsck_finds_the_disk_clean" "$disk"
[ -n "$KEEP" ] || rm -rf "$work"
exit "${failed:-0}"

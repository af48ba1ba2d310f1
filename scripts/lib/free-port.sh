# shellcheck shell=bash
# free_port: prints a TCP port on 127.0.0.1 that nothing listens on, skipping those named in
# $TAKEN_PORTS (space-separated). Sourced by the load scripts, which define die().

free_port() {
  local port _
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 12000))
    [[ " ${TAKEN_PORTS:-} " == *" $port "* ]] && continue
    # A refused connection means the port is free; bash's /dev/tcp needs no extra tool.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  die "found no free TCP port on 127.0.0.1"
}

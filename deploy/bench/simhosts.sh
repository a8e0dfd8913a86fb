# Simulated hosts for benchmarks, sourced by ns-allreduce.sh and multi-host.sh (run as root):
# a hub network namespace with a bridge at $SIM_NET.1, and hosts 0..N-1 at $SIM_NET.1<h>, each
# joined to the bridge by a veth pair. on_host runs a command on a host with its own /dev/shm and
# host name (mount and UTS namespaces); on_hub runs one on the hub. Everything is removed on exit.
SIM_TAG=sim$$
SIM_NET=${SIM_NET:-10.78.0}
SIM_MTU=${SIM_MTU:-1500} # the links' MTU: 1500 as on most networks, 9000 for jumbo frames
sim_cleanup() {
  for ns in $(ip netns list | awk '{print $1}' | grep "$SIM_TAG\$"); do ip netns del "$ns" 2>/dev/null || true; done
}
trap sim_cleanup EXIT
sim_up() { # number of hosts
  ip netns add hub$SIM_TAG; ip -n hub$SIM_TAG link set lo up
  ip -n hub$SIM_TAG link add br0 type bridge; ip -n hub$SIM_TAG link set br0 up
  ip -n hub$SIM_TAG addr add $SIM_NET.1/24 dev br0
  for h in $(seq 0 $(($1 - 1))); do
    ip netns add h$h$SIM_TAG; ip -n h$h$SIM_TAG link set lo up
    ip link add v$h$SIM_TAG netns hub$SIM_TAG type veth peer name eth0 netns h$h$SIM_TAG
    ip -n hub$SIM_TAG link set v$h$SIM_TAG master br0; ip -n hub$SIM_TAG link set v$h$SIM_TAG up
    ip -n hub$SIM_TAG link set v$h$SIM_TAG mtu $SIM_MTU; ip -n h$h$SIM_TAG link set eth0 mtu $SIM_MTU
    ip -n h$h$SIM_TAG addr add $SIM_NET.1$h/24 dev eth0; ip -n h$h$SIM_TAG link set eth0 up
  done
}
sim_ip() { echo "$SIM_NET.1$1"; }
on_host() { # host, command...
  local h=$1; shift
  ip netns exec h$h$SIM_TAG unshare --mount --uts --propagation private sh -c \
    'mount -t tmpfs -o size=2g tmpfs /dev/shm && hostname simhost$0 && exec "$@"' "$h" "$@"
}
on_hub() { ip netns exec hub$SIM_TAG "$@"; }

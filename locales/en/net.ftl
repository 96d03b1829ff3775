# The TCP connection every client opens first (src/net.rs). The reason after the colon
# is the operating system's own words.

net-cannot-connect = cannot connect to { $addr }: { $reason }

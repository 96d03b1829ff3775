# The TCP connection every client opens first (src/net.rs). The reason after the colon
# is the operating system's own words.

net-cannot-connect = cannot connect to { $addr }: { $reason }

# The socket every server binds first (lessons, tap, vault, web chat).
net-cannot-listen = cannot listen on { $addr }: { $reason }

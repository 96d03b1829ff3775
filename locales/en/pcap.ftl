# Capture files (src/pcap.rs): what is said when one cannot be written, or the TLS key
# log cannot be read. The reason is the operating system's words.

pcap-cannot-write = cannot write { $path }: { $reason }
pcap-cannot-read-key-log = cannot read the key log { $path }: { $reason }

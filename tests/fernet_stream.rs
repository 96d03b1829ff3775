//! The streaming Fernet writer and reader (`src/vault/fernet_stream.rs`) against the
//! spec's vectors (`tests/fixtures/fernet/`), the `fernet` crate and Python's
//! `cryptography`, and against tokens cut or altered anywhere.

mod common;

use std::io::{Cursor, Read, Write};

use common::prereq::{PYTHON3, PY_CRYPTOGRAPHY};
use rand::Rng;
use squirrel::vault::fernet_stream::{token_len, Key, TokenReader, TokenWriter};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fernet");

fn vectors(name: &str) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn unix(rfc3339: &str) -> u64 {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .timestamp() as u64
}

fn seal(key: &Key, plain: &[u8]) -> Vec<u8> {
    let mut writer = TokenWriter::new(key, Vec::new()).unwrap();
    for piece in plain.chunks(100_003) {
        writer.write_all(piece).unwrap();
    }
    writer.finish().unwrap()
}

fn open(key: &Key, token: &[u8]) -> Result<Vec<u8>, String> {
    let mut reader = TokenReader::open(key, Cursor::new(token)).map_err(|e| e.to_string())?;
    let mut plain = Vec::new();
    reader.read_to_end(&mut plain).map_err(|e| e.to_string())?;
    Ok(plain)
}

fn every_generate_vector_is_written_exactly() {
    for v in vectors("generate.json") {
        let key = Key::from_base64(v["secret"].as_str().unwrap()).unwrap();
        let iv: Vec<u8> = v["iv"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_u64().unwrap() as u8)
            .collect();
        let mut writer = TokenWriter::with_parts(
            &key,
            Vec::new(),
            unix(v["now"].as_str().unwrap()),
            iv.try_into().unwrap(),
        )
        .unwrap();
        writer
            .write_all(v["src"].as_str().unwrap().as_bytes())
            .unwrap();
        let token = writer.finish().unwrap();
        assert_eq!(
            String::from_utf8(token).unwrap(),
            v["token"].as_str().unwrap()
        );
    }
}

fn every_verify_vector_is_read_within_its_ttl() {
    for v in vectors("verify.json") {
        let key = Key::from_base64(v["secret"].as_str().unwrap()).unwrap();
        let ttl = (
            v["ttl_sec"].as_u64().unwrap(),
            unix(v["now"].as_str().unwrap()),
        );
        let mut reader =
            TokenReader::open_with_ttl(&key, Cursor::new(v["token"].as_str().unwrap()), Some(ttl))
                .unwrap();
        let mut plain = String::new();
        reader.read_to_string(&mut plain).unwrap();
        assert_eq!(plain, v["src"].as_str().unwrap());
    }
}

fn every_invalid_vector_is_refused() {
    let all = vectors("invalid.json");
    assert_eq!(all.len(), 11);
    for v in all {
        let key = Key::from_base64(v["secret"].as_str().unwrap()).unwrap();
        let ttl = (
            v["ttl_sec"].as_u64().unwrap(),
            unix(v["now"].as_str().unwrap()),
        );
        let opened =
            TokenReader::open_with_ttl(&key, Cursor::new(v["token"].as_str().unwrap()), Some(ttl));
        assert!(opened.is_err(), "accepted: {}", v["desc"]);
    }
}

fn key_text() -> String {
    let mut raw = [0u8; 32];
    openssl::rand::rand_bytes(&mut raw).unwrap();
    base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE, raw)
}

fn sizes() -> Vec<Vec<u8>> {
    [0usize, 1, 15, 16, 17, 1000, 196_608, 1 << 20]
        .iter()
        .map(|&n| common::random_bytes(n))
        .collect()
}

fn the_fernet_crate_reads_our_tokens_and_we_read_its_tokens() {
    let text = key_text();
    let key = Key::from_base64(&text).unwrap();
    let theirs = fernet::Fernet::new(&text).unwrap();
    for plain in sizes() {
        let ours = seal(&key, &plain);
        assert_eq!(ours.len() as u64, token_len(plain.len() as u64));
        let decrypted = theirs.decrypt(std::str::from_utf8(&ours).unwrap()).unwrap();
        assert!(decrypted == plain, "fernet crate, {} bytes", plain.len());
        let token = theirs.encrypt(&plain);
        assert!(
            open(&key, token.as_bytes()).unwrap() == plain,
            "{} bytes",
            plain.len()
        );
    }
}

fn pythons_cryptography_reads_our_tokens_and_we_read_its_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let text = key_text();
    let key = Key::from_base64(&text).unwrap();
    for (i, plain) in sizes().into_iter().enumerate() {
        let ours = dir.path().join(format!("ours-{i}"));
        std::fs::write(&ours, seal(&key, &plain)).unwrap();
        let plain_path = dir.path().join(format!("plain-{i}"));
        std::fs::write(&plain_path, &plain).unwrap();
        let theirs = dir.path().join(format!("theirs-{i}"));
        // Decrypt ours and compare; encrypt the same plaintext for us to read.
        let script = "import sys\n\
            from cryptography.fernet import Fernet\n\
            f = Fernet(sys.argv[1].encode())\n\
            plain = open(sys.argv[3], 'rb').read()\n\
            assert f.decrypt(open(sys.argv[2], 'rb').read()) == plain, 'ours does not decrypt'\n\
            open(sys.argv[4], 'wb').write(f.encrypt(plain))\n";
        let out = PYTHON3
            .command()
            .args(["-c", script, &text])
            .args([&ours, &plain_path, &theirs])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "python: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let token = std::fs::read(&theirs).unwrap();
        assert!(
            open(&key, &token).unwrap() == plain,
            "{} bytes",
            plain.len()
        );
    }
}

fn a_token_cut_or_altered_at_any_of_1000_random_positions_is_refused() {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let key = Key::from_base64(&key_text()).unwrap();
    let plain = common::random_bytes(5000);
    let token = seal(&key, &plain);
    assert_eq!(open(&key, &token).unwrap(), plain);
    let mut rng = rand::rng();
    for _ in 0..1000 {
        let at = rng.random_range(0..token.len());
        let mut bad = token.clone();
        let how = if rng.random_bool(0.5) {
            bad.truncate(at);
            "cut"
        } else {
            let mut c = bad[at];
            while c == bad[at] {
                c = ALPHABET[rng.random_range(0..ALPHABET.len())];
            }
            bad[at] = c;
            "altered"
        };
        assert!(
            open(&key, &bad).is_err(),
            "{how} at {at} of {}",
            token.len()
        );
    }
    // And another key's token, whole, is refused too.
    let other = Key::from_base64(&key_text()).unwrap();
    assert!(open(&other, &token).is_err());
}

test_main! {
    every_generate_vector_is_written_exactly: [],
    every_verify_vector_is_read_within_its_ttl: [],
    every_invalid_vector_is_refused: [],
    the_fernet_crate_reads_our_tokens_and_we_read_its_tokens: [],
    pythons_cryptography_reads_our_tokens_and_we_read_its_tokens: [PYTHON3, PY_CRYPTOGRAPHY],
    a_token_cut_or_altered_at_any_of_1000_random_positions_is_refused: [],
}

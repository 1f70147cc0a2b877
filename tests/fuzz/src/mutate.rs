//! A small deterministic mutator for the fuzzing smoke test: what AFL does, cut down to
//! a fixed sequence CI can replay without AFL installed.

/// Tokens that tend to reach the interesting corners of YAML, JSON and CloudFormation.
pub const TOKENS: &[&[u8]] = &[
    b"&a ",
    b"*a",
    b"<<: *a",
    b"!Ref ",
    b"!GetAtt ",
    b"!Sub ",
    b"!If ",
    b"!!str ",
    b"? ",
    b": ",
    b"- ",
    b"---\n",
    b"...\n",
    b"%YAML 1.2\n",
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b"\"",
    b"'",
    b"\\u00e9",
    b"\\ud800",
    b"|\n",
    b">-\n",
    b"#",
    b"\t",
    b"\r",
    b"\n",
    b"\r\n",
    "\u{feff}".as_bytes(),
    "é".as_bytes(),
    "😀".as_bytes(),
    "\u{2028}".as_bytes(),
    b"Ref",
    b"Fn::GetAtt",
    b"Fn::If",
    b"Type: AWS::Serverless::Function\n",
    b"Resources:\n",
    b"Properties:\n",
    b"AWSTemplateFormatVersion: '2010-09-09'\n",
    b"\"Resources\": {",
    b"null",
    b"true",
    b"-1",
    b"1e400",
    b"0x1F",
    b"\xff",
    b"\x00",
];

/// xorshift64*: reproducible, no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Applies one to four random mutations to `input`; `other` is a second seed to splice
/// from.
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(data.len() + 1);
        match rng.below(8) {
            0 if !data.is_empty() => {
                let at = at.min(data.len() - 1);
                data[at] ^= 1 << rng.below(8);
            }
            1 => data.insert(at, rng.next() as u8),
            2 if at < data.len() => {
                let end = (at + 1 + rng.below(16)).min(data.len());
                data.drain(at..end);
            }
            3 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            4 if !other.is_empty() => {
                // Splice: our head, the other seed's tail.
                let from = rng.below(other.len());
                data.truncate(at);
                data.extend_from_slice(&other[from..]);
            }
            5 => data.truncate(at),
            6 if at < data.len() => {
                // Duplicate a chunk (repeated keys, deeper nesting).
                let end = (at + 1 + rng.below(64)).min(data.len());
                let chunk = data[at..end].to_vec();
                data.splice(at..at, chunk);
            }
            _ => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let end = (at + token.len()).min(data.len());
                data.splice(at..end, token.iter().copied());
            }
        }
    }
    data
}

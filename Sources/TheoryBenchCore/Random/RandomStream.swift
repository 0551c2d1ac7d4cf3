/// A seeded stream of pseudo-random numbers: xoshiro256+ (Blackman & Vigna 2018), seeded through
/// SplitMix64. Fast (about 1 ns per draw), 2^256 − 1 period, passes BigCrush on its upper 53 bits,
/// which are the only bits `uniform()` uses.
///
/// Streams are values: copying one forks an identical stream. `RandomStream(seed:)` with the same
/// seed produces the same numbers on every platform and thread count.
///
/// Besides the scalar generator (`next()`, used by every scalar draw) a stream carries eight more
/// xoshiro256+ generators side by side, the *lanes* (`nextLanes()`): one SIMD step yields eight
/// words, for bulk fills of i.i.d. coordinates (`PowerTailSampler.add`). Lane k's state is
/// SplitMix64 outputs 4 + 4k … 7 + 4k of the same seed, after the scalar state's outputs 0 … 3, so
/// the scalar sequence does not depend on the lanes and the lanes are independently seeded
/// generators (Vigna's recommended seeding of several xoshiro states). Lane arithmetic is integer
/// only: the words are the same on every machine and vector width.
public struct RandomStream: Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    @usableFromInline var l0: SIMD8<UInt64>, l1: SIMD8<UInt64>, l2: SIMD8<UInt64>, l3: SIMD8<UInt64>

    /// A stream whose 256-bit state is filled by SplitMix64 from `seed` (Vigna's recommended
    /// seeding), followed by the eight lane states.
    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        var lanes = [SIMD8<UInt64>](repeating: .zero, count: 4)
        for k in 0..<8 { for v in 0..<4 { lanes[v][k] = sm.next() } }
        l0 = lanes[0]; l1 = lanes[1]; l2 = lanes[2]; l3 = lanes[3]
    }

    /// The stream of run `run` of the experiment named `name` (a claim pairing id such as
    /// `baseline.gd-linear-rate@quadratic-d10`): seeded by `StableHash.seed(name, run)`, so the
    /// stream depends on the name and the run index only — never on scheduling or thread count.
    public init(name: String, run: Int) {
        self.init(seed: StableHash.seed(name, run))
    }

    /// The stream of run `run` of experiment `name` under seed salt `salt`: salt 0 is exactly
    /// `init(name:run:)`; any other salt gives a different, equally deterministic family of streams
    /// (to measure how often a correct implementation fails under other seeds).
    public init(name: String, run: Int, salt: UInt64) {
        let base = StableHash.seed(name, run)
        self.init(seed: salt == 0 ? base : StableHash.mix(base ^ StableHash.mix(salt ^ 0x5341_4C54_5341_4C54)))
    }

    /// The next 64 random bits.
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        Self.advance(&s0, &s1, &s2, &s3)
    }

    /// One xoshiro256+ step on a scalar state held anywhere (`next()` on the stream's own; hot loops
    /// that draw only scalars keep these four words in locals instead of copying the whole stream,
    /// whose lane state they never touch).
    @inlinable @inline(__always)
    public static func advance(_ s0: inout UInt64, _ s1: inout UInt64, _ s2: inout UInt64, _ s3: inout UInt64) -> UInt64 {
        let result = s0 &+ s3
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// The next word of each of the eight lane generators (lane k: xoshiro256+ on lane k's state).
    @inlinable @inline(__always)
    public mutating func nextLanes() -> SIMD8<UInt64> {
        let result = l0 &+ l3
        let t = l1 &<< 17
        l2 ^= l0; l3 ^= l1; l1 ^= l2; l0 ^= l3
        l2 ^= t
        l3 = (l3 &<< 45) | (l3 &>> 19)
        return result
    }

    /// Uniform on [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform on (0, 1]: never 0, so `log` and negative powers are finite.
    @inlinable @inline(__always)
    public mutating func uniformPositive() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// A uniformly random integer in 0..<n (Lemire's multiply-shift; bias below 2^-64·n).
    @inlinable @inline(__always)
    public mutating func index(below n: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): the seeding generator for `RandomStream`.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return StableHash.mix(state)
    }
}

/// Platform-stable hashing (no `hashValue`, which Swift randomizes per process).
public enum StableHash {
    /// 64-bit FNV-1a of the UTF-8 bytes of `text`.
    public static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// The SplitMix64 finalizer: a bijective avalanche mix of 64 bits.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// The seed of run `run` of the experiment `name`: mix(fnv1a(name) ⊕ mix(run)).
    public static func seed(_ name: String, _ run: Int) -> UInt64 {
        mix(fnv1a(name) ^ mix(UInt64(truncatingIfNeeded: run) &+ 0x5851_f42d_4c95_7f2d))
    }
}

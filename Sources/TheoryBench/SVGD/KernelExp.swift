/// e^{−t} for four t ≥ 0 at once, for the RBF kernel values of the SVGD pair loop (the scalar libm exp
/// call per pair was most of a step's time). k = round(−t/ln 2) by the 1.5·2⁵² shifter (no rounding
/// instruction needed), r = −t − k·ln 2 in two parts (Cody–Waite, |r| ≤ ln 2/2), e^r by its Taylor
/// polynomial of degree 12 (remainder < (ln 2/2)¹³/13! ≈ 2·10⁻¹⁶), times 2^k built from the exponent
/// bits; t > 708 gives 0 (e^{−708} ≈ 3·10⁻³⁰⁸, below the normal range). Relative error ≤ 1·10⁻¹⁵ against
/// libm (`SVGDTests`).
public enum KernelExp {
    @inline(__always)
    public static func negative(_ t: SIMD4<Double>) -> SIMD4<Double> {
        let shifter = SIMD4<Double>(repeating: 6_755_399_441_055_744.0)
        let x = -t
        let shifted = x * 1.4426950408889634 + shifter
        let k = shifted - shifter
        let r = (x - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10
        var p = SIMD4<Double>(repeating: 1.0 / 479_001_600)
        p = p * r + 1.0 / 39_916_800; p = p * r + 1.0 / 3_628_800; p = p * r + 1.0 / 362_880
        p = p * r + 1.0 / 40_320; p = p * r + 1.0 / 5040; p = p * r + 1.0 / 720; p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24; p = p * r + 1.0 / 6; p = p * r + 0.5; p = p * r + 1; p = p * r + 1
        let integer = unsafeBitCast(shifted, to: SIMD4<UInt64>.self) &- unsafeBitCast(shifter, to: SIMD4<UInt64>.self)
        let scale = unsafeBitCast((integer &+ 1023) &<< 52, to: SIMD4<Double>.self)
        return (p * scale).replacing(with: 0, where: t .> 708)
    }

}

// The sum of a v128's four f32 lanes, always in the order (l0 + l1) + (l2 + l3): the
// scalar build adds its four partial sums the same way, so both builds round alike.
// @ts-ignore: decorator
@inline
export function horizontalSum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

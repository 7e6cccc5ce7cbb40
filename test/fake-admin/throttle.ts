/**
 * Leaky-bucket cost limiter as Shopify applies it per app and shop: the bucket refills at
 * `restoreRate` points/s up to `maximumAvailable`; a request is only executed if the bucket holds
 * its requested cost (otherwise THROTTLED), and the unused part is refunded after execution.
 */

/** Bucket configuration (Shopify Standard: 100 points/s; older: 1000 / 50). */
export interface BucketOptions {
  /** Bucket size. Default 1000. */
  maximumAvailable?: number;
  /** Points restored per second. Default 50. */
  restoreRate?: number;
  /** Clock (ms), injectable. */
  now?: () => number;
}

/** Shopify's `throttleStatus` shape. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class LeakyBucket {
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  private level: number;
  private last: number;
  private readonly now: () => number;
  /** Lowest level ever observed (after charging); tests assert it never goes below 0. */
  minObserved: number;
  /** Number of requests refused with THROTTLED. */
  throttled = 0;

  constructor(options: BucketOptions = {}) {
    this.maximumAvailable = options.maximumAvailable ?? 1000;
    this.restoreRate = options.restoreRate ?? 50;
    this.now = options.now ?? Date.now;
    this.level = this.maximumAvailable;
    this.minObserved = this.level;
    this.last = this.now();
  }

  private refill(): void {
    const t = this.now();
    this.level = Math.min(this.maximumAvailable, this.level + ((t - this.last) / 1000) * this.restoreRate);
    this.last = t;
  }

  /** Takes `cost` points if available; returns false (and counts a throttle) otherwise. */
  tryCharge(cost: number): boolean {
    this.refill();
    if (cost > this.level) {
      this.throttled++;
      return false;
    }
    this.level -= cost;
    this.minObserved = Math.min(this.minObserved, this.level);
    return true;
  }

  /** Gives back points (requested − actual). */
  refund(points: number): void {
    this.refill();
    this.level = Math.min(this.maximumAvailable, this.level + Math.max(0, points));
  }

  /** Current status for `extensions.cost.throttleStatus`. */
  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.level),
      restoreRate: this.restoreRate,
    };
  }
}

import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { authSecret } from '../accounts/auth/session-token.service';
import { AppConfig } from '../config/app-config';

const VERSION = 'v1';

/** A new Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export const newSigningSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * Signing secrets must be readable to sign, so they cannot be hashed: they are encrypted at rest with AES-256-GCM
 * under a key derived (HKDF) from WEBHOOK_SECRETS_KEY, or from AUTH_SECRET when that is unset (docs/webhooks.md,
 * "Secrets"). A database dump alone then reveals no secret.
 */
@Injectable()
export class WebhookSecrets {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    const material = config.WEBHOOK_SECRETS_KEY ?? authSecret(config);
    this.key = Buffer.from(hkdfSync('sha256', material, 'courseloom-webhooks', 'signing-secret-v1', 32));
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), sealed]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64')))
      .join('.');
  }

  /** Throws when the key changed since the secret was sealed (the endpoint then needs a rotated secret). */
  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION) throw new Error(`Unknown secret format ${version}`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
  }
}

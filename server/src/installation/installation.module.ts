import { Module } from '@nestjs/common';
import { DatabaseModule } from '../database/database.module';
import { InstallationMarker } from './installation-marker';

/**
 * The installation's claim on its Redis prefix (docs/queue.md, "Sharing one Redis"). It imports DatabaseModule so
 * that Nest initializes that first: the migrator has created the `installation` table before the claim reads it.
 */
@Module({ imports: [DatabaseModule], providers: [InstallationMarker] })
export class InstallationModule {}

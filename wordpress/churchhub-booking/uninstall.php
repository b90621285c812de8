<?php
/**
 * Removing the plugin removes its one option; posts keep their block comments, which render
 * nothing once the block is gone.
 *
 * @package ChurchHubBooking
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

delete_option( 'churchhub_booking' );

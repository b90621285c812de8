<?php
/**
 * The `churchhub/booking` block, described by block/block.json and rendered by block/render.php.
 *
 * @package ChurchHubBooking
 */

namespace ChurchHub\Booking;

defined( 'ABSPATH' ) || exit;

function register_block() {
	$block = register_block_type( dirname( __DIR__ ) . '/block' );
	if ( ! $block || empty( $block->editor_script_handles ) ) {
		return;
	}
	$handle = $block->editor_script_handles[0];
	wp_set_script_translations( $handle, TEXT_DOMAIN, dirname( __DIR__ ) . '/languages' );
	// What the editor's placeholder card and controls start from.
	$defaults = settings();
	wp_add_inline_script(
		$handle,
		'window.churchhubBookingEditor = ' . wp_json_encode(
			array(
				'serverConfigured' => '' !== $defaults['server_url'],
				'defaultLang'      => $defaults['default_lang'],
				'brandColor'       => $defaults['brand_color'],
			)
		) . ';',
		'before'
	);
}

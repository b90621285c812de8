<?php
/**
 * Server-side render of `churchhub/booking`: the saved post holds only the block comment, so no
 * script is ever stored in it, whoever wrote the post.
 *
 * @package ChurchHubBooking
 *
 * @var array $attributes The block's attributes.
 */

defined( 'ABSPATH' ) || exit;

echo \ChurchHub\Booking\render_calendar( $attributes, get_block_wrapper_attributes() ); // phpcs:ignore WordPress.Security.EscapeOutput -- every attribute is escaped where the element is built.
